// TensorProto decoding: ONNX stores elements either as little-endian raw_data or in one
// of several typed repeated fields depending on the element type (float16 and small
// integers travel in int32_data, unsigned 32/64-bit in uint64_data). This file hides
// that so Swift sees plain float32 or int64 arrays.
#include "internal.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

using connx::Error;
using connx::fenced;

namespace {

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  float value;
  if (exponent == 0) value = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal or zero
  else if (exponent == 31) value = mantissa ? NAN : INFINITY;
  else value = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  return sign ? -value : value;
}

float bfloat_to_float(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <class T>
T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// Element `i` as a double (floating types) — or as an int64 through `as_int` — from raw bytes.
struct Raw {
  const char *p;
  int32_t type;
  double real(size_t i) const {
    switch (type) {
      case CONNX_FLOAT: return load<float>(p + 4 * i);
      case CONNX_DOUBLE: return load<double>(p + 8 * i);
      case CONNX_FLOAT16: return half_to_float(load<uint16_t>(p + 2 * i));
      case CONNX_BFLOAT16: return bfloat_to_float(load<uint16_t>(p + 2 * i));
      default: return static_cast<double>(integer(i));
    }
  }
  int64_t integer(size_t i) const {
    switch (type) {
      case CONNX_INT8: return load<int8_t>(p + i);
      case CONNX_UINT8: return load<uint8_t>(p + i);
      case CONNX_BOOL: return load<uint8_t>(p + i) != 0;
      case CONNX_INT16: return load<int16_t>(p + 2 * i);
      case CONNX_UINT16: return load<uint16_t>(p + 2 * i);
      case CONNX_INT32: return load<int32_t>(p + 4 * i);
      case CONNX_UINT32: return load<uint32_t>(p + 4 * i);
      case CONNX_INT64: return load<int64_t>(p + 8 * i);
      case CONNX_UINT64: return static_cast<int64_t>(load<uint64_t>(p + 8 * i));
      default: throw Error("not an integer element type");
    }
  }
};

bool is_floating(int32_t type) {
  return type == CONNX_FLOAT || type == CONNX_DOUBLE || type == CONNX_FLOAT16 || type == CONNX_BFLOAT16;
}

/// The element count, or -1 when a dimension is negative or the product overflows
/// (a hostile file's dims of ~5e18 must not wrap to a small count).
int64_t element_count(const onnx::TensorProto &t) {
  int64_t n = 1;
  for (auto d : t.dims()) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return -1;
  }
  return n;
}

/// Checks the tensor can be decoded into `count` elements; returns the typed-field length.
void check_decodable(const onnx::TensorProto &t, size_t count) {
  const int32_t type = t.data_type();
  const std::string label = t.name().empty() ? std::string("tensor") : "tensor '" + t.name() + "'";
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw Error(label + " keeps its data in an external file, which Lyra does not read");
  if (type == CONNX_STRING || type == CONNX_COMPLEX64 || type == CONNX_COMPLEX128 || connx::element_size(type) == 0)
    throw Error(label + " has element type " + std::to_string(type) + ", which is not numeric");
  for (auto d : t.dims())
    if (d < 0) throw Error(label + " has a negative dimension");
  if (element_count(t) < 0 || static_cast<size_t>(element_count(t)) != count)
    throw Error(label + " has " + std::to_string(element_count(t)) + " elements, not " + std::to_string(count));
  if (t.has_raw_data()) {
    size_t want = 0;
    if (__builtin_mul_overflow(count, static_cast<size_t>(connx::element_size(type)), &want) || t.raw_data().size() != want)
      throw Error(label + ": raw_data holds " + std::to_string(t.raw_data().size()) + " bytes for " +
                  std::to_string(count) + " elements");
    return;
  }
  size_t stored;
  switch (type) {
    case CONNX_FLOAT: stored = t.float_data_size(); break;
    case CONNX_DOUBLE: stored = t.double_data_size(); break;
    case CONNX_INT64: stored = t.int64_data_size(); break;
    case CONNX_UINT32: case CONNX_UINT64: stored = t.uint64_data_size(); break;
    default: stored = t.int32_data_size(); break;
  }
  if (stored != count)
    throw Error(label + " stores " + std::to_string(stored) + " values for " + std::to_string(count) + " elements");
}

/// Element `i` from the typed fields, as a double.
double typed_real(const onnx::TensorProto &t, size_t i) {
  const int k = static_cast<int>(i);
  switch (t.data_type()) {
    case CONNX_FLOAT: return t.float_data(k);
    case CONNX_DOUBLE: return t.double_data(k);
    case CONNX_INT64: return static_cast<double>(t.int64_data(k));
    case CONNX_UINT32: case CONNX_UINT64: return static_cast<double>(t.uint64_data(k));
    case CONNX_FLOAT16: return half_to_float(static_cast<uint16_t>(t.int32_data(k)));
    case CONNX_BFLOAT16: return bfloat_to_float(static_cast<uint16_t>(t.int32_data(k)));
    case CONNX_BOOL: return t.int32_data(k) != 0;
    default: return t.int32_data(k);
  }
}

/// Element `i` from the typed fields, as an int64 (integer and bool types only).
int64_t typed_integer(const onnx::TensorProto &t, size_t i) {
  const int k = static_cast<int>(i);
  switch (t.data_type()) {
    case CONNX_INT64: return t.int64_data(k);
    case CONNX_UINT32: case CONNX_UINT64: return static_cast<int64_t>(t.uint64_data(k));
    case CONNX_BOOL: return t.int32_data(k) != 0;
    default: return t.int32_data(k);
  }
}

connx_tensor *parse_tensor(const std::string &bytes, const std::string &where) {
  auto *t = new connx_tensor;
  if (!t->proto.ParseFromString(bytes)) {
    delete t;
    throw Error(where + "not a valid TensorProto (protobuf parse failed)");
  }
  return t;
}

}  // namespace

extern "C" {

connx_tensor *connx_tensor_parse(const void *bytes, size_t count, char **err) {
  return fenced<connx_tensor *>(err, nullptr, [&] {
    return parse_tensor(std::string(static_cast<const char *>(bytes), count), "");
  });
}

connx_tensor *connx_tensor_load(const char *path, char **err) {
  return fenced<connx_tensor *>(err, nullptr, [&] {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(std::string("cannot open ") + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_tensor(ss.str(), std::string(path) + ": ");
  });
}

void connx_tensor_free(connx_tensor *t) { delete t; }
const char *connx_tensor_name(const connx_tensor *t) { return t->proto.name().c_str(); }
int32_t connx_tensor_elem_type(const connx_tensor *t) { return t->proto.data_type(); }
size_t connx_tensor_rank(const connx_tensor *t) { return t->proto.dims_size(); }
const int64_t *connx_tensor_dims(const connx_tensor *t) { return t->proto.dims().data(); }
int64_t connx_tensor_element_count(const connx_tensor *t) { return element_count(t->proto); }

int connx_tensor_check(const connx_tensor *t, size_t count, char **err) {
  return fenced<int>(err, -1, [&] {
    check_decodable(t->proto, count);
    return 0;
  });
}

int connx_tensor_read_floats(const connx_tensor *t, float *out, size_t count, char **err) {
  return fenced<int>(err, -1, [&] {
    const auto &p = t->proto;
    check_decodable(p, count);
    if (p.has_raw_data()) {
      Raw raw{p.raw_data().data(), p.data_type()};
      if (p.data_type() == CONNX_FLOAT) std::memcpy(out, raw.p, count * 4);
      else for (size_t i = 0; i < count; ++i) out[i] = static_cast<float>(raw.real(i));
    } else if (p.data_type() == CONNX_FLOAT) {
      if (count) std::memcpy(out, p.float_data().data(), count * 4);
    } else {
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<float>(typed_real(p, i));
    }
    return 0;
  });
}

int connx_tensor_read_int64s(const connx_tensor *t, int64_t *out, size_t count, char **err) {
  return fenced<int>(err, -1, [&] {
    const auto &p = t->proto;
    check_decodable(p, count);
    if (is_floating(p.data_type()))
      throw Error("tensor '" + p.name() + "' holds floating-point values, not integers");
    if (p.has_raw_data()) {
      Raw raw{p.raw_data().data(), p.data_type()};
      for (size_t i = 0; i < count; ++i) out[i] = raw.integer(i);
    } else {
      for (size_t i = 0; i < count; ++i) out[i] = typed_integer(p, i);
    }
    return 0;
  });
}

}  // extern "C"
