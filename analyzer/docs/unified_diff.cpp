#include "analyzer/docs/unified_diff.hpp"

#include <algorithm>
#include <vector>

namespace dbaudit::docs {

namespace {

// Lines with their "\n" kept, so that a missing final newline is a difference too.
std::vector<std::string> LinesWithEndings(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.emplace_back(text, start, end - start);
    start = end;
  }
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };
struct Edit {
  Op op;
  std::size_t a;  // index in old (kEqual, kDelete)
  std::size_t b;  // index in new (kEqual, kInsert)
};

// Myers' O((N+M)D) shortest edit script on the lines between the common prefix and suffix.
// Above `kMaxD` differences the middle is replaced wholesale (still a correct diff).
std::vector<Edit> Script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<Edit> edits;
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  for (std::size_t i = 0; i < prefix; ++i) edits.push_back({Op::kEqual, i, i});
  const long n = static_cast<long>(a.size() - prefix - suffix);
  const long m = static_cast<long>(b.size() - prefix - suffix);
  auto A = [&](long i) -> const std::string& { return a[prefix + i]; };
  auto B = [&](long j) -> const std::string& { return b[prefix + j]; };
  constexpr long kMaxD = 2000;  // the trace holds about kMaxD^2 positions
  const long max = n + m;
  std::vector<std::vector<long>> trace;  // trace[d][k + d] = furthest x on diagonal k
  std::vector<long> v(2 * static_cast<std::size_t>(std::min(max, kMaxD)) + 3, 0);
  const long offset = std::min(max, kMaxD) + 1;
  long found_d = -1;
  for (long d = 0; d <= std::min(max, kMaxD) && found_d < 0; ++d) {
    for (long k = -d; k <= d; k += 2) {
      long x =
          (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset])) ? v[k + 1 + offset] : v[k - 1 + offset] + 1;
      long y = x - k;
      while (x < n && y < m && A(x) == B(y)) ++x, ++y;
      v[k + offset] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
  }
  std::vector<Edit> middle;
  if (found_d < 0) {
    for (long i = 0; i < n; ++i) middle.push_back({Op::kDelete, prefix + i, 0});
    for (long j = 0; j < m; ++j) middle.push_back({Op::kInsert, 0, prefix + j});
  } else {
    long x = n;
    long y = m;
    for (long d = found_d; d >= 0; --d) {
      const long k = x - y;
      if (d == 0) {
        while (x > 0 && y > 0) middle.push_back({Op::kEqual, prefix + --x, prefix + --y});
        break;
      }
      const std::vector<long>& previous = trace[d - 1];  // v before step d, indices k + (d - 1)
      auto at = [&](long diagonal) { return previous[diagonal + d - 1]; };
      const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
      const long previous_k = down ? k + 1 : k - 1;
      const long previous_x = at(previous_k);
      const long previous_y = previous_x - previous_k;
      while (x > previous_x && y > previous_y) middle.push_back({Op::kEqual, prefix + --x, prefix + --y});
      if (down) {
        middle.push_back({Op::kInsert, 0, prefix + static_cast<std::size_t>(previous_y)});
      } else {
        middle.push_back({Op::kDelete, prefix + static_cast<std::size_t>(previous_x), 0});
      }
      x = previous_x;
      y = previous_y;
    }
    std::reverse(middle.begin(), middle.end());
  }
  edits.insert(edits.end(), middle.begin(), middle.end());
  for (std::size_t i = 0; i < suffix; ++i) {
    edits.push_back({Op::kEqual, a.size() - suffix + i, b.size() - suffix + i});
  }
  return edits;
}

void AppendLine(std::string& out, char marker, const std::string& line) {
  out += marker;
  if (!line.empty() && line.back() == '\n') {
    out += line;
  } else {
    out += line;
    out += "\n\\ No newline at end of file\n";
  }
}

}  // namespace

std::string UnifiedDiff(const std::string& old_text, const std::string& new_text, const std::string& old_label,
                        const std::string& new_label, int context) {
  if (old_text == new_text) return {};
  const std::vector<std::string> a = LinesWithEndings(old_text);
  const std::vector<std::string> b = LinesWithEndings(new_text);
  const std::vector<Edit> edits = Script(a, b);
  std::string out = "--- " + old_label + "\n+++ " + new_label + "\n";
  const std::size_t c = static_cast<std::size_t>(std::max(context, 0));
  std::size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: `c` lines of context before, changes joined while fewer than 2c equal lines
    // separate them, `c` lines after.
    const std::size_t begin = i >= c ? i - c : 0;
    std::size_t end = i;
    while (end < edits.size()) {
      if (edits[end].op != Op::kEqual) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].op == Op::kEqual) ++run;
      if (run == edits.size() || run - end > 2 * c) {
        end = std::min(run, end + c);
        break;
      }
      end = run;
    }
    std::size_t old_start = 0, old_count = 0, new_start = 0, new_count = 0;
    bool old_set = false, new_set = false;
    // Where the hunk starts in each file, even when one side has no line in it.
    std::size_t old_position = 0, new_position = 0;
    for (std::size_t k = 0; k < begin; ++k) {
      if (edits[k].op != Op::kInsert) old_position = edits[k].a + 1;
      if (edits[k].op != Op::kDelete) new_position = edits[k].b + 1;
    }
    std::string body;
    for (std::size_t k = begin; k < end; ++k) {
      const Edit& edit = edits[k];
      if (edit.op != Op::kInsert) {
        if (!old_set) old_start = edit.a + 1, old_set = true;
        ++old_count;
      }
      if (edit.op != Op::kDelete) {
        if (!new_set) new_start = edit.b + 1, new_set = true;
        ++new_count;
      }
      if (edit.op == Op::kEqual) AppendLine(body, ' ', a[edit.a]);
      if (edit.op == Op::kDelete) AppendLine(body, '-', a[edit.a]);
      if (edit.op == Op::kInsert) AppendLine(body, '+', b[edit.b]);
    }
    if (!old_set) old_start = old_position;
    if (!new_set) new_start = new_position;
    auto range = [](std::size_t start, std::size_t count) {
      return count == 1 ? std::to_string(start) : std::to_string(start) + "," + std::to_string(count);
    };
    out += "@@ -" + range(old_start, old_count) + " +" + range(new_start, new_count) + " @@\n" + body;
    i = end;
  }
  return out;
}

}  // namespace dbaudit::docs
