#pragma once

#include <cstddef>
#include <string>

#include "analyzer/ir/catalog.hpp"

// database_schema_actual.md: the actual schema as Markdown for humans and for `docs diff`.
// The exact format is a contract with the document reader: docs/schema-export.md.
namespace dbaudit::reports {

struct SchemaMarkdownOptions {
  // The source as the reader sees it, without secrets: "schema.sql (offline)".
  std::string source;
  // A schema with more tables is drawn as several Mermaid diagrams.
  std::size_t max_tables_per_diagram = 40;
};

// Deterministic: no timestamps, every list sorted by name (columns in ordinal order).
std::string RenderSchemaMarkdown(const ir::Catalog& catalog, const SchemaMarkdownOptions& options);

// The Mermaid entity id of `schema.name` in the diagram of `diagram_schema`: the bare name when
// it is a plain identifier, else a sanitised name with a hash suffix; tables of another schema
// are prefixed with their schema. Stable across runs.
std::string MermaidEntityId(const std::string& schema, const std::string& name, const std::string& diagram_schema);

}  // namespace dbaudit::reports
