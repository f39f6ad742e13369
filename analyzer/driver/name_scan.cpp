#include "analyzer/driver/name_scan.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace dbaudit::driver {

namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool ContainsWord(const std::string& haystack, const std::string& word) {
  size_t position = 0;
  while ((position = haystack.find(word, position)) != std::string::npos) {
    const bool starts = position == 0 || !IsWordChar(haystack[position - 1]);
    const size_t end = position + word.size();
    const bool ends = end == haystack.size() || !IsWordChar(haystack[end]);
    if (starts && ends) return true;
    position = end;
  }
  return false;
}

}  // namespace

std::vector<std::string> NamesMentionedInCode(const std::vector<python::SourceFile>& files,
                                              const std::vector<std::string>& names, unsigned threads) {
  if (names.empty() || files.empty()) return {};
  std::vector<std::string> wanted;
  for (const auto& name : names) wanted.push_back(Lower(name));
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

  std::set<std::string> found;
  std::mutex found_mutex;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t index = next++; index < files.size(); index = next++) {
      std::ifstream in(files[index].absolute_path, std::ios::binary);
      if (!in) continue;
      std::ostringstream buffer;
      buffer << in.rdbuf();
      const std::string text = Lower(buffer.str());
      for (const auto& name : wanted) {
        {
          std::lock_guard lock(found_mutex);
          if (found.count(name)) continue;
        }
        if (ContainsWord(text, name)) {
          std::lock_guard lock(found_mutex);
          found.insert(name);
        }
      }
    }
  };
  const unsigned count = std::max(1u, std::min<unsigned>(threads ? threads : std::thread::hardware_concurrency(),
                                                         static_cast<unsigned>(files.size())));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < count; ++i) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  return {found.begin(), found.end()};
}

}  // namespace dbaudit::driver
