// dbaudit_bare_parse: the floor for `dbaudit check` on a project. It finds every .py file
// under a folder, reads and parses each with tree-sitter-python on N threads, and prints how
// many files, bytes and syntax-error trees it saw. No IR, no queries, no output per file.
//
//   dbaudit_bare_parse FOLDER [THREADS]     (THREADS defaults to every core)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace {

struct ParseTotals {
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> files_with_errors{0};
  std::atomic<std::uint64_t> unreadable{0};
};

// Sorted so the work order (and thus the run) does not depend on directory order.
std::vector<std::filesystem::path> FindPythonFiles(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  auto options = std::filesystem::directory_options::skip_permission_denied;
  for (auto it = std::filesystem::recursive_directory_iterator(root, options, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error) && it->path().extension() == ".py") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool ReadWholeFile(const std::filesystem::path& path, std::string& out) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return false;
  out.assign(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
  return true;
}

// Each worker owns one parser and one read buffer; files are handed out by an atomic cursor.
void ParseWorker(const std::vector<std::filesystem::path>& files, std::atomic<std::size_t>& cursor,
                 ParseTotals& totals) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  std::string source;
  for (std::size_t i = cursor.fetch_add(1); i < files.size(); i = cursor.fetch_add(1)) {
    if (!ReadWholeFile(files[i], source)) {
      totals.unreadable.fetch_add(1);
      continue;
    }
    TSTree* tree = ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size()));
    if (tree == nullptr) {
      totals.unreadable.fetch_add(1);
      continue;
    }
    if (ts_node_has_error(ts_tree_root_node(tree))) totals.files_with_errors.fetch_add(1);
    ts_tree_delete(tree);
    totals.files.fetch_add(1);
    totals.bytes.fetch_add(source.size());
  }
  ts_parser_delete(parser);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: dbaudit_bare_parse FOLDER [THREADS]\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (argc == 3) threads = static_cast<unsigned>(std::max(1, std::atoi(argv[2])));

  const auto start = std::chrono::steady_clock::now();
  const auto files = FindPythonFiles(root);
  if (files.empty()) {
    std::fprintf(stderr, "dbaudit_bare_parse: no .py files under %s\n", root.c_str());
    return 2;
  }
  ParseTotals totals;
  std::atomic<std::size_t> cursor{0};
  std::vector<std::thread> workers;
  threads = std::min<unsigned>(threads, static_cast<unsigned>(files.size()));
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back(ParseWorker, std::cref(files), std::ref(cursor), std::ref(totals));
  for (auto& worker : workers) worker.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("files %llu bytes %llu files_with_errors %llu unreadable %llu threads %u seconds %.3f\n",
              static_cast<unsigned long long>(totals.files.load()),
              static_cast<unsigned long long>(totals.bytes.load()),
              static_cast<unsigned long long>(totals.files_with_errors.load()),
              static_cast<unsigned long long>(totals.unreadable.load()), threads, seconds);
  return totals.unreadable.load() == 0 ? 0 : 1;
}
