#pragma once

#include <string>
#include <vector>

#include "analyzer/python/model_reader.hpp"

namespace dbaudit::driver {

// Which of `names` occur as whole words (not inside a longer identifier) anywhere in `files`,
// e.g. in raw SQL strings or a `Table("legacy_imports", ...)` the models did not map.
// Case-insensitive; returns the found names lower-cased and sorted. Files are scanned in
// parallel; unreadable files are skipped (the model reader reports them).
std::vector<std::string> NamesMentionedInCode(const std::vector<python::SourceFile>& files,
                                              const std::vector<std::string>& names, unsigned threads);

}  // namespace dbaudit::driver
