export { ChatSim, createChatSim, type ChatSimOptions } from "./chat-sim.js";
export type { ChatCall, ChatFaultSpec, ChatUrls, SimSlackMessage, SimTeamsPost } from "./chat-types.js";
