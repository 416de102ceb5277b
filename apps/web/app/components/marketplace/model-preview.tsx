import { useEffect, useRef, useState } from "react";

/**
 * A 3D preview of an uploaded model (three.js, loaded only in the browser). The bytes come from the
 * owner-checked download route, or from the visitor's own file when given (the shop widget, which has
 * no cookie to prove ownership); the preview is a picture, never the basis of a price.
 */
export function ModelPreview({
  uploadId,
  file,
  src,
  caption,
}: {
  uploadId: string;
  file?: File;
  src?: string;
  /** The size the model will be made at (the customer's unit and scale applied), under the picture. */
  caption?: string;
}) {
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
        // The model turns about its own centre (a pivot at the origin), so a model whose coordinates sit
        // far from the origin does not swing out of view, and the camera stands far enough back for
        // the bounding sphere, which holds the model in every turn, to fit the frame.
        const box = new THREE.Box3().setFromObject(object);
        const center = box.getCenter(new THREE.Vector3());
        object.position.sub(center);
        const pivot = new THREE.Group();
        pivot.add(object);
        const scene = new THREE.Scene();
        scene.add(pivot);
        scene.add(new THREE.AmbientLight(0xffffff, 0.6));
        const light = new THREE.DirectionalLight(0xffffff, 1.2);
        light.position.set(1, 2, 3);
        scene.add(light);
        const radius = box.getBoundingSphere(new THREE.Sphere()).radius || 1;
        const fov = 40;
        const aspect = 4 / 3;
        // the narrower of the two angles of view decides (vertical here, as the frame is 4:3)
        const halfAngle = Math.min(
          fov / 2,
          (Math.atan(Math.tan((fov * Math.PI) / 360) * aspect) * 180) / Math.PI,
        );
        const distance = (radius / Math.sin((halfAngle * Math.PI) / 180)) * 1.05;
        const camera = new THREE.PerspectiveCamera(fov, aspect, distance / 100, distance * 10);
        camera.position.copy(new THREE.Vector3(1.4, 1.1, 1.6).normalize().multiplyScalar(distance));
        camera.lookAt(0, 0, 0);
        const renderer = new THREE.WebGLRenderer({ canvas: canvas.current, antialias: true, alpha: true });
        renderer.setSize(canvas.current.clientWidth, canvas.current.clientWidth * 0.75, false);
        // The box's corners, about the pivot: on screen they say whether the whole model is in view
        // (data-framed, which the browser tests read while it turns).
        const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
          new THREE.Vector3(
            i & 1 ? box.max.x : box.min.x,
            i & 2 ? box.max.y : box.min.y,
            i & 4 ? box.max.z : box.min.z,
          ).sub(center),
        );
        const target = canvas.current;
        const point = new THREE.Vector3();
        let frame = 0;
        let frames = 0;
        let framed = true;
        const spin = () => {
          pivot.rotation.y += 0.01;
          pivot.updateMatrixWorld();
          renderer.render(scene, camera);
          framed &&= corners.every((corner) => {
            point.copy(corner).applyMatrix4(pivot.matrixWorld).project(camera);
            return Math.abs(point.x) <= 1 && Math.abs(point.y) <= 1;
          });
          frames++;
          if (frames % 30 === 0) {
            target.dataset.framed = framed ? "in-view" : "out-of-view";
            target.dataset.frames = String(frames);
          }
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
      {caption ? (
        <p className="mt-1 text-center text-xs text-slate-600 dark:text-slate-400" data-testid="preview-size">
          {caption}
        </p>
      ) : null}
      {state === "unavailable" ? (
        <p className="mt-1 text-xs text-slate-500">The 3D preview is not available in this browser.</p>
      ) : null}
    </div>
  );
}
