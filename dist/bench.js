import { createRequire as __jitopsRequire } from 'node:module'; import { fileURLToPath as __jitopsPath } from 'node:url'; const require = __jitopsRequire(import.meta.url); const __filename = __jitopsPath(import.meta.url); const __dirname = __jitopsPath(new URL('.', import.meta.url));
import{a as x,b as M,d as O,g as S,j as A}from"./chunks/chunk-V3K53VEW.js";import{c as D}from"./chunks/chunk-4ETFTKFW.js";import{parseArgs as B}from"node:util";import{fileURLToPath as G}from"node:url";import*as h from"@cedar-policy/cedar-wasm/nodejs";function p(e,o){for(let r=0;r<Math.min(e,200);r++)o(r);let t=process.hrtime.bigint();for(let r=0;r<e;r++)o(r);return Number(process.hrtime.bigint()-t)/1e3/e}function c(e,o=2){let t=10**o;return Math.round(e*t)/t}var E=50;function R(e){let o=[];for(let t=0;t<e;t++)o.push({name:`ent-${t}`,grants:[{gcp:{resource:`projects/p-${t}`,role:"roles/browser"}}],eligible:{teams:[`acme/team-${t%E}`],users:[`user-${t%997}`]},maxDuration:"4h",approval:[{count:1,from:{teams:["acme/sre"]}}]});return{principals:{},policyOwners:[],entitlements:o,workloads:[]}}function Y(e){let o=[];for(let t of e.entitlements){for(let r of t.eligible.teams??[])o.push(`permit(principal in Team::"${r}", action == Action::"request", resource == Entitlement::"${t.name}");`);for(let r of t.eligible.users??[])o.push(`permit(principal == User::"${r}", action == Action::"request", resource == Entitlement::"${t.name}");`)}return o.join(`
`)}function I(e,o){let t=R(e),r=x(t),s=Array.from({length:64},(b,n)=>({login:`user-${n*31%997}`,teams:[`acme/team-${n*7%E}`,"acme/other"],entitlement:`ent-${n*104729%e}`})),i=0,a=p(o*100,b=>{let n=s[b%s.length],l=r.entitlements.get(n.entitlement);l&&M(l,n.login,n.teams)&&i++}),f=`bench-${e}`,y=h.preparsePolicySet(f,{staticPolicies:Y(t)});if(y.type!=="success")throw new Error(`cedar policies did not parse: ${JSON.stringify(y)}`);let m=0,k=p(o,b=>{let n=s[b%s.length],l=h.statefulIsAuthorized({principal:{type:"User",id:n.login},action:{type:"Action",id:"request"},resource:{type:"Entitlement",id:n.entitlement},context:{},preparsedPolicySetId:f,entities:[{uid:{type:"User",id:n.login},attrs:{},parents:n.teams.map($=>({type:"Team",id:$}))},...n.teams.map($=>({uid:{type:"Team",id:$},attrs:{},parents:[]}))]});l.type==="success"&&l.response.decision==="allow"&&m++});if(!(Math.sign(i)===Math.sign(m)))throw new Error("jitops and cedar disagree on the bench questions");return{entitlements:e,jitops_us:c(a,3),cedar_us:c(k,1),speedup:Math.round(k/a)}}import{execFileSync as V}from"node:child_process";import{mkdtempSync as J,mkdirSync as C,rmSync as z,writeFileSync as N}from"node:fs";import{tmpdir as Z}from"node:os";import{join as u}from"node:path";function w(e,o,t){let r=[];for(let s=0;s<t;s++){let i=process.hrtime.bigint();V(process.execPath,e,{cwd:o,stdio:"ignore"}),r.push(Number(process.hrtime.bigint()-i)/1e6)}return r.sort((s,i)=>s-i),r[Math.floor(r.length/2)]}function U(e,o,t,r=15){let s=J(u(Z(),"jitops-bench-"));try{C(u(s,"policies")),C(u(s,"access/requests"),{recursive:!0}),N(u(s,"policies/p.yaml"),o),N(u(s,"access/requests/alice-prod-db.yaml"),t),w(["-e","0"],s,2);let i=w(["-e","0"],s,r),a=w([e,"validate","access/requests/alice-prod-db.yaml"],s,r);return{jitops_ms:c(a,1),node_ms:c(i,1),ratio:c(a/i)}}finally{z(s,{recursive:!0,force:!0})}}var F=D(O(),1);var q=`apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: bench
spec:
  entitlements:
    - name: prod-db-reader
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.viewer}
      eligible: {teams: [acme/backend]}
      maxDuration: 8h
      require: {justification: true, ticket: "^INC-[0-9]+$"}
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
`;function v(e){return Array.from({length:e},(o,t)=>({path:`access/requests/req-${t}.yaml`,content:`apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: req-${t}
spec:
  entitlement: prod-db-reader
  duration: ${t%8+1}h
  justification: Investigate replication lag number ${t}
  ticket: INC-${1e3+t}
`}))}function L(e){let o=S([{path:"policies/bench.yaml",content:q}]).policy,t=v(e),r=new Date("2026-01-01T00:00:00Z"),s=0,i={jitops:1/0,yaml:1/0};for(let a=0;a<3;a++){let f=p(e,m=>A(t[m],o,r).ok?0:s++)*e/1e3,y=p(e,m=>(0,F.parse)(t[m].content))*e/1e3;i={jitops:Math.min(i.jitops,f),yaml:Math.min(i.yaml,y)}}if(s>0)throw new Error(`${s} bench requests were invalid`);return{files:e,jitops_ms:c(i.jitops,1),yaml_parse_ms:c(i.yaml,1),ratio:c(i.jitops/i.yaml)}}var{values:T}=B({options:{json:{type:"boolean"},quick:{type:"boolean"}}}),_=e=>process.stderr.write(`bench: ${e}
`),j=T.quick===!0;_("decision at 10, 1000, 5000 and 10000 entitlements (jitops vs cedar-wasm)");var P=[10,1e3,5e3,1e4].map(e=>I(e,j?20:e>=5e3?60:300)),H=P.find(e=>e.entitlements===5e3);_(`validate ${j?1e3:1e4} request files (jitops vs YAML.parse)`);var d=L(j?1e3:1e4);_("startup of jitops validate vs node -e 0");var K=G(new URL("./cli.js",import.meta.url)),g=U(K,q,v(1)[0].content.replace(/req-0/g,"alice-prod-db"),j?5:15),Q={decision:H,validate:d,startup:g,decision_scaling:P};if(T.json)process.stdout.write(`${JSON.stringify(Q)}
`);else{for(let e of P)process.stdout.write(`decision @${e.entitlements}: jitops ${e.jitops_us} us, cedar ${e.cedar_us} us (${e.speedup}x)
`);process.stdout.write(`validate ${d.files} files: jitops ${d.jitops_ms} ms, YAML.parse ${d.yaml_parse_ms} ms (ratio ${d.ratio})
`),process.stdout.write(`startup: jitops ${g.jitops_ms} ms, node ${g.node_ms} ms (ratio ${g.ratio})
`)}
