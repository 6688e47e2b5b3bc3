// The DRS extension: starts `drsc lsp` and shows stdlib modules (which live
// inside the drsc binary) as read-only `drs-std:` documents, so go to
// definition works on `primary = us-east-1` or `profile = finserv`.

import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider("drs-std", {
      provideTextDocumentContent: async (uri: vscode.Uri): Promise<string> =>
        client ? client.sendRequest<string>("drsc/stdlibSource", { uri: uri.toString() }) : "",
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("drs.server.path") || e.affectsConfiguration("drs.explainUrl")) {
        await stopClient();
        await startClient();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

async function startClient(): Promise<void> {
  const config = vscode.workspace.getConfiguration("drs");
  const command = config.get<string>("server.path") || "drsc";
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "drs" },
      { scheme: "untitled", language: "drs" },
      { scheme: "drs-std", language: "drs" },
    ],
    initializationOptions: {
      stdlibDocuments: true,
      explainUrl: config.get<string>("explainUrl") ?? "",
    },
  };
  client = new LanguageClient("drs", "DRS language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `DRS: cannot start \`${command} lsp\` (${err}). Install drsc or set "drs.server.path".`,
    );
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}
