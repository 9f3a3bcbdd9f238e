import { parseDirectory } from "../../../core/impact/parse-directory.js";

describe("parseDirectory (jitops impact --directory)", () => {
  it("reads users and teams at the top level", () => {
    expect(
      parseDirectory(
        `users: {carol: {id: 103}, "ci[bot]": {id: 9, type: Bot}}\nteams: {acme/sre: [carol]}\n`,
      ),
    ).toEqual({
      ok: true,
      value: {
        users: { carol: { id: 103 }, "ci[bot]": { id: 9, type: "Bot" } },
        teams: { "acme/sre": ["carol"] },
      },
    });
  });

  it("reads the directory: of a policy test case", () => {
    const r = parseDirectory("name: x\ndirectory:\n  users: {bob: {id: 102}}\n  teams: {acme/sre: [bob]}\n");
    expect(r).toEqual({ ok: true, value: { users: { bob: { id: 102 } }, teams: { "acme/sre": ["bob"] } } });
  });

  const errors: [string, string, number, number, string][] = [
    ["not a directory", "- alice\n", 1, 1, "a directory is a mapping with users"],
    [
      "a user without an id",
      "users:\n  carol: {name: Carol}\n",
      2,
      10,
      "user carol needs a positive numeric id, e.g. {id: 101}",
    ],
    [
      "an id that is not a number",
      "users:\n  carol: {id: abc}\n",
      2,
      15,
      "user carol needs a positive numeric id",
    ],
    [
      "a team not written org/team",
      "users: {bob: {id: 1}}\nteams:\n  sre: [bob]\n",
      3,
      8,
      "team sre must be written org/team",
    ],
    [
      "a member not listed under users",
      "users: {bob: {id: 1}}\nteams:\n  acme/sre: [bob, carol]\n",
      3,
      13,
      "team acme/sre lists carol, not under users: add each with its numeric id",
    ],
  ];
  it.each(errors)("%s is directory.invalid at its line and column", (_, yaml, line, column, message) => {
    const r = parseDirectory(yaml);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: "directory.invalid", line, column });
    expect(r.errors[0]!.message).toContain(message);
  });

  it("YAML errors keep their own codes", () => {
    const r = parseDirectory("users: {a: {id: 1}}\nusers: {}\n");
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(["yaml.duplicate-key"]);
  });
});
