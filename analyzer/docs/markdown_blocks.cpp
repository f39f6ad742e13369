#include "analyzer/docs/markdown_blocks.hpp"

#include <cstring>
#include <memory>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "analyzer/docs/text_utils.hpp"

namespace dbaudit::docs {

namespace {

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

std::uint32_t StartLine(cmark_node* node) {
  return static_cast<std::uint32_t>(cmark_node_get_start_line(node));
}
std::uint32_t EndLine(cmark_node* node) {
  return static_cast<std::uint32_t>(cmark_node_get_end_line(node));
}

// The text a reader sees: literals of text and code spans, link text, breaks as spaces.
void AppendPlainText(cmark_node* node, std::string& out) {
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    switch (cmark_node_get_type(child)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE: {
        const char* literal = cmark_node_get_literal(child);
        if (literal) out += literal;
        break;
      }
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: out += ' '; break;
      default: AppendPlainText(child, out); break;
    }
  }
}

ListItem ReadItem(cmark_node* item) {
  ListItem result;
  result.begin_line = StartLine(item);
  result.end_line = StartLine(item);
  result.item_end_line = EndLine(item);
  bool first_paragraph = true;
  for (cmark_node* child = cmark_node_first_child(item); child; child = cmark_node_next(child)) {
    const cmark_node_type type = cmark_node_get_type(child);
    if (type == CMARK_NODE_PARAGRAPH && first_paragraph) {
      result.begin_line = StartLine(child);
      result.end_line = EndLine(child);
      first_paragraph = false;
    } else if (type == CMARK_NODE_LIST) {
      result.has_nested_list = true;
    }
  }
  return result;
}

Block ReadBlock(cmark_node* node) {
  Block block;
  block.begin_line = StartLine(node);
  block.end_line = EndLine(node);
  const cmark_node_type type = cmark_node_get_type(node);
  switch (type) {
    case CMARK_NODE_HEADING:
      block.kind = BlockKind::kHeading;
      block.heading_level = cmark_node_get_heading_level(node);
      AppendPlainText(node, block.text);
      break;
    case CMARK_NODE_PARAGRAPH:
      block.kind = BlockKind::kParagraph;
      AppendPlainText(node, block.text);
      break;
    case CMARK_NODE_LIST:
      block.kind = BlockKind::kList;
      for (cmark_node* item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
        block.items.push_back(ReadItem(item));
      }
      break;
    case CMARK_NODE_CODE_BLOCK: {
      block.kind = BlockKind::kCodeBlock;
      const char* literal = cmark_node_get_literal(node);
      if (literal) block.text = literal;
      break;
    }
    case CMARK_NODE_HTML_BLOCK: {
      block.kind = BlockKind::kHtml;
      const char* literal = cmark_node_get_literal(node);
      if (literal) block.text = literal;
      break;
    }
    case CMARK_NODE_THEMATIC_BREAK: block.kind = BlockKind::kThematicBreak; break;
    default:
      // The table extension's node types are registered at run time: compare by name.
      block.kind = std::strcmp(cmark_node_get_type_string(node), "table") == 0 ? BlockKind::kTable : BlockKind::kOther;
      break;
  }
  return block;
}

// cmark-gfm turns the last line of a paragraph into a table's header row when a delimiter
// row follows, and then gives the table the paragraph's first line and leaves the paragraph
// with no lines at all (0-0). The paragraph gets back the lines above the header row; when
// there are none left, or cmark left some other block without lines, the block is dropped.
void RestoreLines(std::vector<Block>& blocks, const std::string& markdown) {
  const std::vector<std::string> lines = SplitLines(markdown);
  std::vector<Block> kept;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    Block& block = blocks[i];
    if (block.begin_line != 0 && block.end_line >= block.begin_line) {
      kept.push_back(std::move(block));
      continue;
    }
    if (block.kind != BlockKind::kParagraph || i + 1 >= blocks.size() || blocks[i + 1].kind != BlockKind::kTable) {
      continue;
    }
    Block& table = blocks[i + 1];
    std::uint32_t delimiter = 0;
    for (std::uint32_t line = table.begin_line; line >= 1 && line <= table.end_line && line <= lines.size(); ++line) {
      if (IsDelimiterRow(lines[line - 1])) {
        delimiter = line;
        break;
      }
    }
    if (delimiter < 2 || delimiter - 1 <= table.begin_line) continue;
    block.begin_line = table.begin_line;
    block.end_line = delimiter - 2;
    table.begin_line = delimiter - 1;
    kept.push_back(std::move(block));
  }
  blocks = std::move(kept);
}

}  // namespace

std::vector<Block> ParseMarkdownBlocks(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  if (cmark_syntax_extension* table = cmark_find_syntax_extension("table")) {
    cmark_parser_attach_syntax_extension(parser.get(), table);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> root(cmark_parser_finish(parser.get()));
  std::vector<Block> blocks;
  if (!root) return blocks;
  for (cmark_node* node = cmark_node_first_child(root.get()); node; node = cmark_node_next(node)) {
    blocks.push_back(ReadBlock(node));
  }
  RestoreLines(blocks, markdown);
  return blocks;
}

}  // namespace dbaudit::docs
