/**
 * The most common passwords from public breach-frequency lists (lower-cased). Sign-up and password
 * changes refuse these and simple variations of them (case, a trailing number or symbol).
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 12345 1234567 111111 1234567890 123123 abc123 1234
password1 iloveyou 1q2w3e4r 000000 qwertyuiop 123321 dragon monkey 654321 666666 123qwe 7777777 1qaz2wsx
sunshine princess letmein football baseball welcome shadow master superman michael 121212 starwars
trustno1 passw0rd zaq12wsx qazwsx password123 password12 admin admin123 administrator login welcome1
solo hello charlie donald aa123456 loveme whatever freedom ninja mustang access flower hottie batman
jordan23 jennifer hunter2 hunter ashley bailey 696969 michelle daniel robert thomas matthew jessica
pepper zxcvbnm zxcvbn asdfghjkl asdfgh asdf1234 qwer1234 1q2w3e 1q2w3e4r5t q1w2e3r4 q1w2e3r4t5y6
11111111 22222222 88888888 99999999 00000000 12341234 11223344 112233 123654 987654321 9876543210 147258369
changeme changeme123 secret secret123 default guest test test123 testing user password! p@ssw0rd
p@ssword pa55word pass1234 pass123 mypassword yourpassword letmein1 welcome123 iloveyou1 princess1
computer internet samsung apple google facebook linkedin twitter pokemon minecraft fortnite
killer soccer hockey tigger summer winter autumn spring chelsea liverpool arsenal barcelona
maggie ginger buster harley cookie chocolate banana orange purple silver golden diamond
anthony andrew joshua william george charles taylor amanda nicole justin sophie daniel1
lovely loveyou babygirl angel angel1 beautiful forever family friends blessed jesus jesus1
qazwsxedc 1qazxsw2 zaq1zaq1 !qaz2wsx qweasdzxc asdasd asd123 zxc123 qwe123 abcd1234 abcdef abc12345
a123456 a12345678 123abc 123456a 123456abc 1234qwer password2 password01 passpass pass
superstar rockstar whatever1 nothing trustme secure security letmein! administrator1 root toor
master123 monkey123 dragon123 football1 baseball1 shadow123 sunshine1 qwerty1 qwerty12 qwertyu
hello123 hello1 welcome! abc 1111 0000 1212 2000 2020 2021 2022 2023 2024 2025 2026
ktizo ktizo123`
    .split(/\s+/)
    .filter(Boolean),
);
