// Result<T>: a value or an Error, the way every fallible core API reports failure.
// No exceptions cross module borders (ARCHITECTURE.md, "Errors").
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace toccata::core {

/// What went wrong, written for a person: it names the file/argument and the problem.
struct Error {
    std::string message;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    static Result failure(std::string message) { return Result(Error{std::move(message)}); }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_state); }
    const std::string& errorMessage() const { return error().message; }

private:
    std::variant<T, Error> m_state;
};

/// Result of an operation that produces nothing but may fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error.message)), m_failed(true) {}  // NOLINT
    static Status success() { return {}; }
    static Status failure(std::string message) { return Status(Error{std::move(message)}); }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const std::string& errorMessage() const { return m_error; }
    Error error() const { return Error{m_error}; }

private:
    std::string m_error;
    bool m_failed = false;
};

}  // namespace toccata::core
