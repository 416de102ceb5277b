import { useEffect, useRef, useState } from "react";

/**
 * A 3D preview of an uploaded model (three.js, loaded only in the browser). The bytes come from the
 * owner-checked download route, or from the visitor's own file when given (the shop widget, which has
 * no cookie to prove ownership); the preview is a picture, never the basis of a price.
 */
export function ModelPreview({ uploadId, file, src }: { uploadId: string; file?: File; src?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "unavailable">("loading");
  useEffect(() => {
    let disposed = false;
    let cleanup: (() => void) | null = null;
    (async () => {
      try {
        const [THREE, { STLLoader }, { OBJLoader }, { ThreeMFLoader }] = await Promise.all([
          import("three"),
          import("three/examples/jsm/loaders/STLLoader.js"),
          import("three/examples/jsm/loaders/OBJLoader.js"),
          import("three/examples/jsm/loaders/3MFLoader.js"),
        ]);
        let name: string;
        let bytes: ArrayBuffer;
        if (file) {
          name = file.name.toLowerCase();
          bytes = await file.arrayBuffer();
        } else {
          const res = await fetch(src ?? `/quote/${uploadId}/model`);
          if (!res.ok) throw new Error("no model");
          name = decodeURIComponent(res.headers.get("x-file-name") ?? "").toLowerCase();
          bytes = await res.arrayBuffer();
        }
        if (disposed || !canvas.current) throw new Error("no model");
        let object: InstanceType<typeof THREE.Object3D>;
        const material = new THREE.MeshStandardMaterial({ color: 0x2563eb, metalness: 0.1, roughness: 0.6 });
        if (name.endsWith(".obj")) {
          object = new OBJLoader().parse(new TextDecoder().decode(bytes));
          object.traverse((child) => {
            if (child instanceof THREE.Mesh) child.material = material;
          });
        } else if (name.endsWith(".3mf")) {
          object = new ThreeMFLoader().parse(bytes);
        } else {
          object = new THREE.Mesh(new STLLoader().parse(bytes), material);
        }
        const box = new THREE.Box3().setFromObject(object);
        const size = box.getSize(new THREE.Vector3());
        const center = box.getCenter(new THREE.Vector3());
        object.position.sub(center);
        const scene = new THREE.Scene();
        scene.add(object);
        scene.add(new THREE.AmbientLight(0xffffff, 0.6));
        const light = new THREE.DirectionalLight(0xffffff, 1.2);
        light.position.set(1, 2, 3);
        scene.add(light);
        const radius = Math.max(size.x, size.y, size.z) || 1;
        const camera = new THREE.PerspectiveCamera(40, 4 / 3, radius / 100, radius * 100);
        camera.position.set(radius * 1.4, radius * 1.1, radius * 1.6);
        camera.lookAt(0, 0, 0);
        const renderer = new THREE.WebGLRenderer({ canvas: canvas.current, antialias: true, alpha: true });
        renderer.setSize(canvas.current.clientWidth, canvas.current.clientWidth * 0.75, false);
        let frame = 0;
        const spin = () => {
          object.rotation.y += 0.01;
          renderer.render(scene, camera);
          frame = requestAnimationFrame(spin);
        };
        spin();
        cleanup = () => {
          cancelAnimationFrame(frame);
          renderer.dispose();
        };
        if (!disposed) setState("ready");
      } catch {
        if (!disposed) setState("unavailable");
      }
    })();
    return () => {
      disposed = true;
      cleanup?.();
    };
  }, [uploadId, file, src]);
  return (
    <div>
      <canvas
        ref={canvas}
        className="aspect-[4/3] w-full rounded-md bg-slate-100 dark:bg-slate-800"
        aria-label="3D preview of the model"
      />
      {state === "unavailable" ? (
        <p className="mt-1 text-xs text-slate-500">The 3D preview is not available in this browser.</p>
      ) : null}
    </div>
  );
}
