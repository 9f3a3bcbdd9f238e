import type { SimApp, SimInstallation } from "../types.js";
import { userShape } from "./accounts.js";
import { nodeId, type ShapeContext } from "./context.js";

/** The GitHub App (`integration` in REST, `app` in webhooks). */
export function appShape(ctx: ShapeContext, app: SimApp) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    owner: userShape(ctx, ctx.state.user(app.owner)),
    name: app.name,
    description: null,
    external_url: `${ctx.base}/apps/${app.slug}/home`,
    html_url: `${ctx.base}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
  };
}

/** The app's installation on an account (`installation`). */
export function installationShape(ctx: ShapeContext, app: SimApp, inst: SimInstallation) {
  const acc = ctx.state.user(inst.account);
  const settings =
    acc.type === "Organization"
      ? `${ctx.base}/organizations/${acc.login}/settings/installations/${inst.id}`
      : `${ctx.base}/settings/installations/${inst.id}`;
  return {
    id: inst.id,
    account: userShape(ctx, acc),
    repository_selection: "all",
    access_tokens_url: `${ctx.base}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${ctx.base}/installation/repositories`,
    html_url: settings,
    app_id: app.id,
    app_slug: app.slug,
    target_id: acc.id,
    target_type: acc.type === "Organization" ? "Organization" : "User",
    permissions: app.permissions,
    events: app.events,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [] as string[],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The `installation` field of webhook payloads. */
export function installationLiteShape(inst: SimInstallation) {
  return { id: inst.id, node_id: nodeId("Installation", inst.id) };
}
