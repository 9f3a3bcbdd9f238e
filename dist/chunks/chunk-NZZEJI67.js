import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
function s(){return{out:t=>process.stdout.write(`${t}
`),err:t=>process.stderr.write(`${t}
`),color:!!process.stdout.isTTY&&!process.env.NO_COLOR}}function n(t,r,o){return t.color?`\x1B[${{red:31,green:32,yellow:33,dim:2,bold:1}[r]}m${o}\x1B[0m`:o}export{s as a,n as b};
