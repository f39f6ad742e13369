#pragma once

#include <string>

namespace dbaudit::docs {

// A unified diff (as `diff -u` writes it, without timestamps) from `old_text` to `new_text`;
// empty when they are equal. Lines are compared without their line endings; a missing final
// newline is marked "\ No newline at end of file".
std::string UnifiedDiff(const std::string& old_text, const std::string& new_text, const std::string& old_label,
                        const std::string& new_label, int context = 3);

}  // namespace dbaudit::docs
