#include "analyzer/driver/baseline.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

namespace {

using Json = nlohmann::json;

// Walks the text for nlohmann's SAX parser and remembers how far it got, so that the events
// below know their line.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* position, const char* begin, std::size_t* furthest)
      : position_(position), begin_(begin), furthest_(furthest) {}
  reference operator*() const { return *position_; }
  TrackingIterator& operator++() {
    ++position_;
    *furthest_ = std::max(*furthest_, static_cast<std::size_t>(position_ - begin_));
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) { return a.position_ == b.position_; }
  friend bool operator!=(const TrackingIterator& a, const TrackingIterator& b) { return !(a == b); }

 private:
  const char* position_;
  const char* begin_;
  std::size_t* furthest_;
};

std::size_t LineAt(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// Records the line of each entry of the top-level "findings" array and of the syntax error.
class LineRecorder final : public nlohmann::json_sax<Json> {
 public:
  LineRecorder(const std::string& text, const std::size_t* furthest) : text_(text), furthest_(furthest) {}

  std::vector<std::size_t> entry_lines;
  std::size_t error_line = 0;
  std::string error_message;

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    // The '{' was the last character read.
    if (InFindingsArray()) entry_lines.push_back(LineAt(text_, *furthest_ == 0 ? 0 : *furthest_ - 1));
    stack_.push_back({true, last_key_});
    return true;
  }
  bool key(string_t& value) override {
    last_key_ = value;
    return true;
  }
  bool end_object() override { return Pop(); }
  bool start_array(std::size_t) override {
    stack_.push_back({false, last_key_});
    return true;
  }
  bool end_array() override { return Pop(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    error_line = LineAt(text_, position == 0 ? 0 : position - 1);
    error_message = error.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    if (const auto colon = error_message.find(": "); colon != std::string::npos) {
      error_message = error_message.substr(colon + 2);
    }
    return false;
  }

 private:
  struct Container {
    bool is_object;
    std::string key;  // the key this container is the value of
  };
  bool Value() { return true; }
  bool Pop() {
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }
  bool InFindingsArray() const {
    return stack_.size() == 2 && stack_[0].is_object && !stack_[1].is_object && stack_[1].key == "findings";
  }

  const std::string& text_;
  const std::size_t* furthest_;
  std::vector<Container> stack_;
  std::string last_key_;
};

ir::Error At(const std::string& display_path, std::size_t line, const std::string& message) {
  return ir::Error{display_path + ":" + std::to_string(line) + ": " + message, {}};
}

}  // namespace

std::string RenderBaseline(const std::vector<ir::Finding>& findings) {
  std::vector<const ir::Finding*> sorted;
  for (const auto& finding : findings) sorted.push_back(&finding);
  std::sort(sorted.begin(), sorted.end(), [](const ir::Finding* a, const ir::Finding* b) {
    return std::tie(a->rule_id, a->fingerprint) < std::tie(b->rule_id, b->fingerprint);
  });
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const ir::Finding* finding : sorted) {
    nlohmann::ordered_json entry;
    entry["rule"] = finding->rule_id;
    entry["fingerprint"] = finding->fingerprint;
    entry["file"] = finding->location.HasFile() ? finding->location.file : finding->location.object;
    entry["message"] = finding->message;
    entries.push_back(std::move(entry));
  }
  nlohmann::ordered_json json;
  json["version"] = kBaselineVersion;
  json["findings"] = std::move(entries);
  return json.dump(2) + "\n";
}

ir::Result<Baseline> ParseBaseline(const std::string& text, const std::string& display_path) {
  std::size_t furthest = 0;
  LineRecorder recorder(text, &furthest);
  TrackingIterator begin(text.data(), text.data(), &furthest);
  TrackingIterator end(text.data() + text.size(), text.data(), &furthest);
  if (!Json::sax_parse(begin, end, &recorder)) {
    return At(display_path, recorder.error_line, "not a valid baseline: " + recorder.error_message);
  }
  const Json json = Json::parse(text);
  if (!json.is_object()) return At(display_path, 1, "not a valid baseline: expected a JSON object");
  const auto version = json.find("version");
  if (version == json.end() || !version->is_number_integer() || version->get<int>() != kBaselineVersion) {
    return At(display_path, 1,
              "not a valid baseline: \"version\" must be " + std::to_string(kBaselineVersion) +
                  " (write it again with `dbaudit check --write-baseline`)");
  }
  const auto findings = json.find("findings");
  if (findings == json.end() || !findings->is_array()) {
    return At(display_path, 1, "not a valid baseline: \"findings\" must be an array");
  }
  Baseline baseline;
  for (std::size_t i = 0; i < findings->size(); ++i) {
    const Json& entry = (*findings)[i];
    const std::size_t line = i < recorder.entry_lines.size() ? recorder.entry_lines[i] : 1;
    if (!entry.is_object()) return At(display_path, line, "not a valid baseline: each finding must be an object");
    const auto fingerprint = entry.find("fingerprint");
    if (fingerprint == entry.end() || !fingerprint->is_string() || fingerprint->get<std::string>().empty()) {
      return At(display_path, line, "not a valid baseline: this finding has no \"fingerprint\" string");
    }
    baseline.fingerprints.insert(fingerprint->get<std::string>());
  }
  return baseline;
}

ir::Result<Baseline> ReadBaseline(const std::filesystem::path& path, const std::string& display_path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ir::Error{"cannot read the baseline " + display_path, {}};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseBaseline(buffer.str(), display_path);
}

BaselineSplit ApplyBaseline(std::vector<ir::Finding> findings, const Baseline& baseline) {
  BaselineSplit split;
  for (auto& finding : findings) {
    if (baseline.fingerprints.count(finding.fingerprint)) {
      ++split.known;
    } else {
      split.new_findings.push_back(std::move(finding));
    }
  }
  return split;
}

std::string DescribeBaselineMatches(std::size_t known) {
  return std::to_string(known) + (known == 1 ? " finding is" : " findings are") + " in the baseline";
}

}  // namespace dbaudit::driver

namespace dbaudit::driver {

ir::Result<std::optional<LoadedBaseline>> LoadBaselineFor(const CommandContext& context,
                                                          const std::string& explicit_path) {
  std::filesystem::path path;
  if (!explicit_path.empty()) {
    path = explicit_path;
  } else if (context.config.baseline) {
    path = context.FromConfigRoot(*context.config.baseline);
    std::error_code error;
    // A configured baseline that was never written yet is no baseline.
    if (!std::filesystem::exists(path, error)) return std::optional<LoadedBaseline>();
  } else {
    return std::optional<LoadedBaseline>();
  }
  const std::string display = path.generic_string();
  auto baseline = ReadBaseline(path, display);
  if (!baseline.ok()) return baseline.error();
  return std::optional<LoadedBaseline>(LoadedBaseline{baseline.take(), display});
}

ir::Result<std::filesystem::path> BaselineWritePath(const CommandContext& context, const std::string& explicit_path) {
  if (!explicit_path.empty()) return std::filesystem::path(explicit_path);
  if (!context.config.baseline) return std::filesystem::path(context.FromConfigRoot(kDefaultBaselinePath));
  return context.ConfiguredOutput("baseline", *context.config.baseline);
}

}  // namespace dbaudit::driver
