#pragma once

// The block structure of a Markdown document as cmark-gfm sees it, flattened into plain
// structs with 1-based source lines. Internal to analyzer/docs: no cmark type leaves here.

#include <cstdint>
#include <string>
#include <vector>

namespace dbaudit::docs {

struct ListItem {
  std::uint32_t begin_line = 0;  // the item's first paragraph
  std::uint32_t end_line = 0;
  std::uint32_t item_end_line = 0;  // the whole item, nested blocks included
  bool has_nested_list = false;
};

enum class BlockKind { kHeading, kTable, kList, kCodeBlock, kHtml, kParagraph, kThematicBreak, kOther };

struct Block {
  BlockKind kind = BlockKind::kOther;
  std::uint32_t begin_line = 0;
  std::uint32_t end_line = 0;
  int heading_level = 0;
  // Headings and paragraphs: the plain text (code spans, emphasis and link text kept, markup
  // dropped). Code blocks: the literal content. HTML blocks: the raw HTML.
  std::string text;
  std::vector<ListItem> items;  // lists
};

// Top-level blocks in document order. `markdown` must be valid UTF-8.
std::vector<Block> ParseMarkdownBlocks(const std::string& markdown);

}  // namespace dbaudit::docs
