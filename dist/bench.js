import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);

// bench/index.ts
console.log("bench: not yet");
