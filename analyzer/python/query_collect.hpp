#pragma once

#include <cstdint>
#include <string>

#include <tree_sitter/api.h>

#include "analyzer/python/query_facts.hpp"

// Internal to analyzer/python: tree-sitter types stay in this folder.
namespace dbaudit::python {

// Walks the whole tree (function bodies included) and fills `out` with the file's query
// facts. Never throws on odd input; nesting beyond a fixed depth is not descended into.
void CollectQueryFacts(TSNode root, const std::string& source, FileQueryFacts* out);

}  // namespace dbaudit::python
