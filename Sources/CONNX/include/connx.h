/* CONNX: a small C API over Debian's libonnx (ONNX 1.12) protobuf classes.
 *
 * Why C: Swift imports C headers directly, while libonnx is C++ whose exceptions must
 * never unwind through Swift frames. Every entry point catches everything and reports
 * failure as a message string instead.
 *
 * Conventions:
 * - Functions that can fail return 0 (or a non-NULL pointer) on success and -1 (or NULL)
 *   on failure; when `err` is not NULL it then receives a malloc'd message, freed with
 *   connx_string_free.
 * - Strings returned by accessors belong to the model or tensor they come from and stay
 *   valid until it is changed or freed.
 * - Element and attribute types use ONNX's own numbers (TensorProto.DataType,
 *   AttributeProto.AttributeType), listed below. */
#ifndef LYRA_CONNX_H
#define LYRA_CONNX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TensorProto.DataType. */
enum {
  CONNX_UNDEFINED = 0, CONNX_FLOAT = 1, CONNX_UINT8 = 2, CONNX_INT8 = 3, CONNX_UINT16 = 4,
  CONNX_INT16 = 5, CONNX_INT32 = 6, CONNX_INT64 = 7, CONNX_STRING = 8, CONNX_BOOL = 9,
  CONNX_FLOAT16 = 10, CONNX_DOUBLE = 11, CONNX_UINT32 = 12, CONNX_UINT64 = 13,
  CONNX_COMPLEX64 = 14, CONNX_COMPLEX128 = 15, CONNX_BFLOAT16 = 16
};

/* AttributeProto.AttributeType. */
enum {
  CONNX_ATTR_UNDEFINED = 0, CONNX_ATTR_FLOAT = 1, CONNX_ATTR_INT = 2, CONNX_ATTR_STRING = 3,
  CONNX_ATTR_TENSOR = 4, CONNX_ATTR_GRAPH = 5, CONNX_ATTR_FLOATS = 6, CONNX_ATTR_INTS = 7,
  CONNX_ATTR_STRINGS = 8, CONNX_ATTR_TENSORS = 9, CONNX_ATTR_GRAPHS = 10,
  CONNX_ATTR_SPARSE_TENSOR = 11, CONNX_ATTR_SPARSE_TENSORS = 12, CONNX_ATTR_TYPE_PROTO = 13,
  CONNX_ATTR_TYPE_PROTOS = 14
};

/* Which list of a graph's value infos an accessor reads. */
enum { CONNX_GRAPH_INPUT = 0, CONNX_GRAPH_OUTPUT = 1, CONNX_GRAPH_VALUE_INFO = 2 };

/* An ONNX model (onnx::ModelProto). */
typedef struct connx_model connx_model;
/* A tensor (onnx::TensorProto) copied out of a model, an attribute or a .pb file. */
typedef struct connx_tensor connx_tensor;

void connx_string_free(char *s);
void connx_bytes_free(void *p);
/* The IR version this libonnx writes by default (onnx::IR_VERSION). */
int64_t connx_library_ir_version(void);

/* ---- Models: create, parse, serialise, check ---- */

/* An empty model with one opset import (domain "" = ai.onnx). */
connx_model *connx_model_create(int64_t ir_version, int64_t opset, const char *producer,
                                const char *producer_version, const char *graph_name, char **err);
connx_model *connx_model_parse(const void *bytes, size_t count, char **err);
connx_model *connx_model_load(const char *path, char **err);
void connx_model_free(connx_model *m);
/* Serialised bytes (malloc'd, freed with connx_bytes_free); *count receives the length. */
void *connx_model_serialize(const connx_model *m, size_t *count, char **err);
int connx_model_save(const connx_model *m, const char *path, char **err);
/* onnx::checker::check_model; with `full`, also strict shape inference with type checks
 * (what Python's check_model(full_check=True) does). The model is not changed. */
int connx_model_check(const connx_model *m, int full, char **err);
/* Shape inference in place: inferred shapes land in the graph's value_info (and outputs). */
int connx_model_infer_shapes(connx_model *m, int strict, char **err);

int64_t connx_model_ir_version(const connx_model *m);
const char *connx_model_producer(const connx_model *m);
size_t connx_model_opset_count(const connx_model *m);
const char *connx_model_opset_domain(const connx_model *m, size_t i);
int64_t connx_model_opset_version(const connx_model *m, size_t i);
const char *connx_graph_name(const connx_model *m);

/* ---- Building a graph ---- */

/* Adds a tensor value info to the inputs, outputs or value_info (`kind`). A dimension
 * with a non-NULL, non-empty dim_params[d] is symbolic (e.g. "batch"); dim_params may be
 * NULL. rank < 0 leaves the shape unknown. */
int connx_graph_add_value(connx_model *m, int kind, const char *name, int32_t elem_type,
                          const int64_t *dims, const char *const *dim_params, int64_t rank, char **err);
/* Adds an initializer from little-endian element bytes (stored as raw_data). */
int connx_graph_add_initializer(connx_model *m, const char *name, int32_t elem_type, const int64_t *dims,
                                size_t rank, const void *data, size_t bytes, char **err);
/* Appends a node; returns its index (or -1). An empty input name is an omitted optional input. */
int64_t connx_graph_add_node(connx_model *m, const char *op_type, const char *name, const char *domain,
                             const char *const *inputs, size_t input_count,
                             const char *const *outputs, size_t output_count, char **err);
int connx_node_set_attr_int(connx_model *m, size_t node, const char *name, int64_t value, char **err);
int connx_node_set_attr_float(connx_model *m, size_t node, const char *name, float value, char **err);
int connx_node_set_attr_string(connx_model *m, size_t node, const char *name, const char *value,
                               size_t length, char **err);
int connx_node_set_attr_ints(connx_model *m, size_t node, const char *name, const int64_t *values,
                             size_t count, char **err);
int connx_node_set_attr_floats(connx_model *m, size_t node, const char *name, const float *values,
                               size_t count, char **err);
/* A STRINGS attribute (RNN's activations) of count NUL-terminated strings. */
int connx_node_set_attr_strings(connx_model *m, size_t node, const char *name, const char *const *values,
                                size_t count, char **err);
int connx_node_set_attr_tensor(connx_model *m, size_t node, const char *name, int32_t elem_type,
                               const int64_t *dims, size_t rank, const void *data, size_t bytes, char **err);

/* ---- Walking a graph ---- */

size_t connx_graph_value_count(const connx_model *m, int kind);
const char *connx_graph_value_name(const connx_model *m, int kind, size_t i);
/* The tensor element type, or 0 when the value is not a tensor (sequence, map, optional). */
int32_t connx_graph_value_elem_type(const connx_model *m, int kind, size_t i);
/* The rank, or -1 when the shape is unknown. */
int64_t connx_graph_value_rank(const connx_model *m, int kind, size_t i);
/* A dimension's size, or -1 when it is symbolic or unknown. */
int64_t connx_graph_value_dim(const connx_model *m, int kind, size_t i, size_t d);
/* A symbolic dimension's name ("" when it has none). */
const char *connx_graph_value_dim_param(const connx_model *m, int kind, size_t i, size_t d);

size_t connx_graph_initializer_count(const connx_model *m);
/* A copy of initializer i (freed with connx_tensor_free). */
connx_tensor *connx_graph_initializer(const connx_model *m, size_t i, char **err);
/* Number of sparse initializers (not supported by Lyra; counted so it can say so). */
size_t connx_graph_sparse_initializer_count(const connx_model *m);

size_t connx_graph_node_count(const connx_model *m);
const char *connx_node_op_type(const connx_model *m, size_t node);
const char *connx_node_name(const connx_model *m, size_t node);
const char *connx_node_domain(const connx_model *m, size_t node);
size_t connx_node_input_count(const connx_model *m, size_t node);
const char *connx_node_input(const connx_model *m, size_t node, size_t k);
size_t connx_node_output_count(const connx_model *m, size_t node);
const char *connx_node_output(const connx_model *m, size_t node, size_t k);
size_t connx_node_attr_count(const connx_model *m, size_t node);
const char *connx_node_attr_name(const connx_model *m, size_t node, size_t k);
int32_t connx_node_attr_type(const connx_model *m, size_t node, size_t k);
int64_t connx_node_attr_int(const connx_model *m, size_t node, size_t k);
float connx_node_attr_float(const connx_model *m, size_t node, size_t k);
/* Bytes of a STRING attribute; *length receives their count. */
const char *connx_node_attr_string(const connx_model *m, size_t node, size_t k, size_t *length);
/* Values of an INTS / FLOATS attribute; *count receives their number. */
const int64_t *connx_node_attr_ints(const connx_model *m, size_t node, size_t k, size_t *count);
const float *connx_node_attr_floats(const connx_model *m, size_t node, size_t k, size_t *count);
/* The number of strings of a STRINGS attribute, and the bytes of string i (*length their count). */
size_t connx_node_attr_strings_count(const connx_model *m, size_t node, size_t k);
const char *connx_node_attr_strings_at(const connx_model *m, size_t node, size_t k, size_t i, size_t *length);
/* A copy of a TENSOR attribute (freed with connx_tensor_free). */
connx_tensor *connx_node_attr_tensor(const connx_model *m, size_t node, size_t k, char **err);

/* ---- Tensors ---- */

/* A serialised TensorProto (the backend tests' input_0.pb / output_0.pb files). */
connx_tensor *connx_tensor_parse(const void *bytes, size_t count, char **err);
connx_tensor *connx_tensor_load(const char *path, char **err);
void connx_tensor_free(connx_tensor *t);
const char *connx_tensor_name(const connx_tensor *t);
int32_t connx_tensor_elem_type(const connx_tensor *t);
size_t connx_tensor_rank(const connx_tensor *t);
const int64_t *connx_tensor_dims(const connx_tensor *t);
/* The number of elements (the product of the dims); -1 when a dim is negative or the
 * product overflows. */
int64_t connx_tensor_element_count(const connx_tensor *t);
/* Checks, without reading, that the tensor stores exactly `count` elements (raw_data of
 * count × element size bytes, or that many typed values): called before the output is
 * allocated, so dims a file claims never allocate memory the file does not back. */
int connx_tensor_check(const connx_tensor *t, size_t count, char **err);
/* Converts the elements of a numeric or bool tensor (raw_data or the typed fields) to
 * float32 / int64 into `out`, which holds `count` elements (the element count). Floats
 * read as int64 are rejected rather than truncated. */
int connx_tensor_read_floats(const connx_tensor *t, float *out, size_t count, char **err);
int connx_tensor_read_int64s(const connx_tensor *t, int64_t *out, size_t count, char **err);

#ifdef __cplusplus
}
#endif

#endif
