import {
  AggregateAuthenticationError,
  AuthenticationError,
  CredentialUnavailableError,
} from "@azure/identity";
import { explainedAzureCredential } from "../../providers/azure-credentials.js";
import { CredentialsError } from "../../providers/credentials-error.js";

const failing = (e: Error) => ({
  getToken: async () => {
    throw e;
  },
});

describe("DefaultAzureCredential's answers, explained", () => {
  it("every source unavailable (an Azure CLI on PATH but not signed in): a CredentialsError naming each", async () => {
    const chain = new AggregateAuthenticationError(
      [
        new CredentialUnavailableError(
          "EnvironmentCredential is unavailable. No underlying credential could be used.",
        ),
        new CredentialUnavailableError(
          "Please run 'az login' from a command prompt to authenticate before using this credential.",
        ),
      ],
      "ChainedTokenCredential authentication failed.",
    );
    const e = await explainedAzureCredential(failing(chain))
      .getToken("https://management.azure.com/.default")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CredentialsError);
    expect(e).toMatchObject({
      provider: "azure",
      code: "credentials.missing",
      message:
        "no Azure credentials: DefaultAzureCredential found none that works: EnvironmentCredential is unavailable; Please run 'az login' from a command prompt to authenticate before using this credential.",
      hint: 'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE for workload identity), or run "az login"',
    });
  });

  it("a credential Entra refuses is not a missing one: it passes on, status kept", async () => {
    const refused = new AuthenticationError(401, {
      error: "invalid_client",
      error_description: "AADSTS7000215: Invalid client secret provided.",
    });
    const e = await explainedAzureCredential(failing(refused))
      .getToken("https://management.azure.com/.default")
      .catch((x: unknown) => x);
    expect(e).toBe(refused);
    expect(e).not.toBeInstanceOf(CredentialsError);
  });
});
