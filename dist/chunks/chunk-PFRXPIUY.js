import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
function t(e,o){let r=e.FORCE_COLOR;return r!==void 0?r!=="0"&&r.toLowerCase()!=="false":e.NO_COLOR?!1:o}function s(e=process.env){return{out:o=>process.stdout.write(`${o}
`),err:o=>process.stderr.write(`${o}
`),color:t(e,!!process.stdout.isTTY)}}function u(e,o,r){return e.color?`\x1B[${{red:31,green:32,yellow:33,dim:2,bold:1}[o]}m${r}\x1B[0m`:r}export{s as a,u as b};
