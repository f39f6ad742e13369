#pragma once

#include <string>
#include <utility>
#include <variant>

#include "analyzer/ir/location.hpp"

namespace dbaudit::ir {

// An expected failure, as a value: a file that cannot be read, a refused connection.
struct Error {
  std::string message;
  Location location;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  T&& take() { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace dbaudit::ir
