// Shared by the CONNX translation units: the opaque handles and the exception fence.
#pragma once

#include "connx.h"

#include <onnx/onnx_pb.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

struct connx_model {
  onnx::ModelProto proto;
};

struct connx_tensor {
  onnx::TensorProto proto;
};

namespace connx {

/// A malloc'd copy of `message` for the caller (Swift frees it with connx_string_free).
inline void set_error(char **err, const std::string &message) {
  if (!err) return;
  *err = static_cast<char *>(std::malloc(message.size() + 1));
  if (*err) std::memcpy(*err, message.c_str(), message.size() + 1);
}

/// Runs `body`, turning any C++ exception into `failure` plus a message: no exception
/// may unwind into Swift, which cannot catch it.
template <class R, class F>
R fenced(char **err, R failure, F body) {
  if (err) *err = nullptr;
  try {
    return body();
  } catch (const std::exception &e) {
    set_error(err, e.what());
  } catch (...) {
    set_error(err, "unknown C++ exception in libonnx");
  }
  return failure;
}

/// Thrown by CONNX itself for bad arguments (caught by `fenced`).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Fills a TensorProto from little-endian element bytes.
void fill_tensor(onnx::TensorProto &t, const char *name, int32_t elem_type, const int64_t *dims, size_t rank,
                 const void *data, size_t bytes);

/// Bytes per element of a fixed-width ONNX element type (0 for strings and unknown types).
size_t element_size(int32_t elem_type);

}  // namespace connx
