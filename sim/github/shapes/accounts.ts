import type { SimTeam, SimUser } from "../types.js";
import { nodeId, type ShapeContext } from "./context.js";

/** A user as `simple-user` (REST) and `user` (webhooks) describe it. */
export function userShape(ctx: ShapeContext, u: SimUser) {
  const url = `${ctx.base}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === "Organization" ? "Organization" : "User", u.id),
    avatar_url: `${ctx.base}/avatars/u/${u.id}`,
    gravatar_id: "",
    url,
    html_url: `${ctx.base}/${encodeURIComponent(u.login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    site_admin: false,
  };
}

/** A user as GET /users/{username} returns it (`public-user`). */
export function publicUserShape(ctx: ShapeContext, u: SimUser) {
  return {
    ...userShape(ctx, u),
    user_view_type: "public",
    name: u.name,
    company: null,
    blog: "",
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: u.createdAt,
    updated_at: u.createdAt,
  };
}

/** An organisation as webhook payloads carry it. */
export function organizationShape(ctx: ShapeContext, u: SimUser) {
  const url = `${ctx.base}/orgs/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId("Organization", u.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${ctx.base}/avatars/u/${u.id}`,
    description: null,
  };
}

/** A team; REST `team-simple` adds `type`, which the webhook `team` schema forbids. */
export function teamShape(ctx: ShapeContext, t: SimTeam, flavour: "rest" | "webhook") {
  const url = `${ctx.base}/orgs/${t.org}/teams/${t.slug}`;
  const shape = {
    name: t.name,
    id: t.id,
    node_id: nodeId("Team", t.id),
    slug: t.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    url,
    html_url: `${ctx.base}/orgs/${t.org}/teams/${t.slug}`,
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    permission: "pull",
    parent: null,
  };
  return flavour === "rest" ? { ...shape, type: "organization" as const } : shape;
}
