#include "analyzer/docs/text_utils.hpp"

#include <cctype>

namespace dbaudit::docs {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Length of the UTF-8 sequence at `i`, or 0 when it is not one.
std::size_t Utf8Length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned min_second = 0x80;
  unsigned max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string Trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back(text, start, end - start);
    start = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return lines;
}

std::string FirstLineEnding(const std::string& text) {
  const std::size_t end = text.find_first_of("\r\n");
  if (end == std::string::npos || text[end] == '\n') return "\n";
  return text.compare(end, 2, "\r\n") == 0 ? "\r\n" : "\r";
}

std::string SanitizeUtf8(const std::string& text, std::vector<unsigned>& bad_lines) {
  std::string out;
  out.reserve(text.size());
  unsigned line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = Utf8Length(text, i);
    if (length == 0) {
      if (bad_lines.empty() || bad_lines.back() != line) bad_lines.push_back(line);
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (text[i] == '\n' || (text[i] == '\r' && text.compare(i, 2, "\r\n") != 0)) ++line;
    out.append(text, i, length);
    i += length;
  }
  return out;
}

std::vector<std::string> SplitTableRow(const std::string& line) {
  std::string text = Trim(line);
  if (!text.empty() && text.front() == '|') text.erase(0, 1);
  if (!text.empty() && text.back() == '|' && !(text.size() >= 2 && text[text.size() - 2] == '\\')) text.pop_back();
  std::vector<std::string> cells;
  std::string current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '|') {
      current += "\\|";
      ++i;
    } else if (text[i] == '|') {
      cells.push_back(Trim(current));
      current.clear();
    } else {
      current += text[i];
    }
  }
  cells.push_back(Trim(current));
  return cells;
}

bool IsDelimiterRow(const std::string& line) {
  const std::string text = Trim(line);
  if (text.find('-') == std::string::npos) return false;
  for (const std::string& cell : SplitTableRow(text)) {
    if (cell.empty()) return false;
    for (const char c : cell) {
      if (c != '-' && c != ':' && !IsSpace(c)) return false;
    }
  }
  return true;
}

std::string StripInlineMarkup(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) {
      out += text[++i];
    } else if (c == '`' || c == '*') {
      continue;
    } else if (c == '_' && (i == 0 || i + 1 == text.size() || text[i + 1] == '_' || text[i - 1] == '_' ||
                            IsSpace(text[i - 1]) || IsSpace(text[i + 1]))) {
      // Emphasis underscores, not the ones inside snake_case names.
      continue;
    } else if (c == '[') {
      // A link "[text](target)" keeps its text; any other bracket ("int[]") stays.
      const std::size_t middle = text.find("](", i);
      const std::size_t close = middle == std::string_view::npos ? middle : text.find(')', middle);
      if (close == std::string_view::npos || middle == i + 1) {
        out += c;
        continue;
      }
      out += StripInlineMarkup(text.substr(i + 1, middle - i - 1));
      i = close;
    } else {
      out += c;
    }
  }
  std::string collapsed;
  for (const char c : Trim(out)) {
    if (IsSpace(c)) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
    } else {
      collapsed += c;
    }
  }
  return collapsed;
}

std::string UnescapePipes(const std::string& cell) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size() && cell[i + 1] == '|') continue;
    out += cell[i];
  }
  return out;
}

std::string EscapePipes(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    if (c == '\n') {
      out += "<br>";  // a line break inside a cell, as dbaudit's export writes it
      continue;
    }
    out += c;
  }
  return out;
}

bool IsIdentifier(std::string_view text) {
  if (text.empty()) return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!(std::isalpha(first) || first == '_' || first >= 0x80)) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '$' || u >= 0x80)) return false;
  }
  return true;
}

std::vector<std::string> SplitOutsideParentheses(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (const char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == separator && depth == 0) {
      parts.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(Trim(current));
  return parts;
}

}  // namespace dbaudit::docs
