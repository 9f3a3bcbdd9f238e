// Tests reach only this machine: every socket connection to a host that is not loopback (or a
// Unix socket) fails at once, naming the host, instead of waiting on a network that is not
// there. The simulators listen on 127.0.0.1; nock intercepts before any socket is opened.
const net = require("node:net");

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

function target(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return target(first);
  if (typeof first === "object" && first !== null)
    return { host: first.host, path: first.path, port: first.port };
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof second === "string" ? second : undefined, port: first };
}

if (!net.Socket.prototype.__jitopsNoNetwork) {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    const t = target(args);
    if (t.path === undefined && !LOOPBACK.test(t.host ?? "localhost")) {
      const error = Object.assign(
        new Error(
          `network disabled in tests: connect to ${t.host}:${t.port} refused (only loopback is allowed)`,
        ),
        { code: "ECONNREFUSED", syscall: "connect", address: t.host, port: t.port },
      );
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  };
  net.Socket.prototype.__jitopsNoNetwork = true;
}
