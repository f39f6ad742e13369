#include "analyzer/ir/location.hpp"

namespace dbaudit::ir {

std::string Describe(const Location& location) {
  if (!location.HasFile()) return location.object;
  std::string text = location.file;
  if (location.line > 0) {
    text += ":" + std::to_string(location.line);
    if (location.column > 0) text += ":" + std::to_string(location.column);
  }
  return text;
}

}  // namespace dbaudit::ir
