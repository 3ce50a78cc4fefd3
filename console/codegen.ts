import type { CodegenConfig } from "@graphql-codegen/cli";

// Operation types come from the committed public contract, so a schema change that breaks
// the console fails `npm run build`.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown", ID: "string" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
