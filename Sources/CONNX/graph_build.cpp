// Building a model's graph: value infos, initialisers, nodes and their attributes.
#include "internal.hpp"

using connx::Error;
using connx::fenced;

namespace {

onnx::NodeProto *mutable_node(connx_model *m, size_t i) {
  auto *g = m->proto.mutable_graph();
  if (i >= static_cast<size_t>(g->node_size())) throw Error("node index out of range");
  return g->mutable_node(static_cast<int>(i));
}

onnx::AttributeProto *new_attr(connx_model *m, size_t node, const char *name, onnx::AttributeProto_AttributeType type) {
  auto *n = mutable_node(m, node);
  for (const auto &a : n->attribute())
    if (a.name() == name) throw Error(std::string("attribute '") + name + "' set twice on node " + n->name());
  auto *a = n->add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}

}  // namespace

namespace connx {

size_t element_size(int32_t elem_type) {
  switch (elem_type) {
    case CONNX_FLOAT: case CONNX_INT32: case CONNX_UINT32: return 4;
    case CONNX_UINT8: case CONNX_INT8: case CONNX_BOOL: return 1;
    case CONNX_UINT16: case CONNX_INT16: case CONNX_FLOAT16: case CONNX_BFLOAT16: return 2;
    case CONNX_INT64: case CONNX_UINT64: case CONNX_DOUBLE: case CONNX_COMPLEX64: return 8;
    case CONNX_COMPLEX128: return 16;
    default: return 0;
  }
}

void fill_tensor(onnx::TensorProto &t, const char *name, int32_t elem_type, const int64_t *dims, size_t rank,
                 const void *data, size_t bytes) {
  if (!onnx::TensorProto_DataType_IsValid(elem_type) || element_size(elem_type) == 0)
    throw Error("unsupported element type " + std::to_string(elem_type) + " for tensor '" + (name ? name : "") + "'");
  int64_t n = 1;
  for (size_t d = 0; d < rank; ++d) {
    if (dims[d] < 0) throw Error(std::string("negative dimension in tensor '") + (name ? name : "") + "'");
    n *= dims[d];
  }
  if (static_cast<size_t>(n) * element_size(elem_type) != bytes)
    throw Error(std::string("tensor '") + (name ? name : "") + "': " + std::to_string(bytes) +
                " bytes do not match its shape");
  if (name) t.set_name(name);
  t.set_data_type(elem_type);
  for (size_t d = 0; d < rank; ++d) t.add_dims(dims[d]);
  t.set_raw_data(data, bytes);
}

}  // namespace connx

extern "C" {

int connx_graph_add_value(connx_model *m, int kind, const char *name, int32_t elem_type,
                          const int64_t *dims, const char *const *dim_params, int64_t rank, char **err) {
  return fenced<int>(err, -1, [&] {
    auto *g = m->proto.mutable_graph();
    onnx::ValueInfoProto *v;
    switch (kind) {
      case CONNX_GRAPH_INPUT: v = g->add_input(); break;
      case CONNX_GRAPH_OUTPUT: v = g->add_output(); break;
      case CONNX_GRAPH_VALUE_INFO: v = g->add_value_info(); break;
      default: throw Error("unknown value kind " + std::to_string(kind));
    }
    v->set_name(name);
    auto *tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem_type);
    if (rank >= 0) {
      auto *shape = tt->mutable_shape();
      for (int64_t d = 0; d < rank; ++d) {
        auto *dim = shape->add_dim();
        if (dim_params && dim_params[d] && dim_params[d][0]) dim->set_dim_param(dim_params[d]);
        else dim->set_dim_value(dims[d]);
      }
    }
    return 0;
  });
}

int connx_graph_add_initializer(connx_model *m, const char *name, int32_t elem_type, const int64_t *dims,
                                size_t rank, const void *data, size_t bytes, char **err) {
  return fenced<int>(err, -1, [&] {
    onnx::TensorProto t;
    connx::fill_tensor(t, name, elem_type, dims, rank, data, bytes);
    *m->proto.mutable_graph()->add_initializer() = std::move(t);
    return 0;
  });
}

int64_t connx_graph_add_node(connx_model *m, const char *op_type, const char *name, const char *domain,
                             const char *const *inputs, size_t input_count,
                             const char *const *outputs, size_t output_count, char **err) {
  return fenced<int64_t>(err, -1, [&] {
    auto *g = m->proto.mutable_graph();
    auto *n = g->add_node();
    n->set_op_type(op_type);
    if (name) n->set_name(name);
    if (domain) n->set_domain(domain);
    for (size_t i = 0; i < input_count; ++i) n->add_input(inputs[i] ? inputs[i] : "");
    for (size_t i = 0; i < output_count; ++i) n->add_output(outputs[i] ? outputs[i] : "");
    return static_cast<int64_t>(g->node_size() - 1);
  });
}

int connx_node_set_attr_int(connx_model *m, size_t node, const char *name, int64_t value, char **err) {
  return fenced<int>(err, -1, [&] {
    new_attr(m, node, name, onnx::AttributeProto::INT)->set_i(value);
    return 0;
  });
}

int connx_node_set_attr_float(connx_model *m, size_t node, const char *name, float value, char **err) {
  return fenced<int>(err, -1, [&] {
    new_attr(m, node, name, onnx::AttributeProto::FLOAT)->set_f(value);
    return 0;
  });
}

int connx_node_set_attr_string(connx_model *m, size_t node, const char *name, const char *value, size_t length,
                               char **err) {
  return fenced<int>(err, -1, [&] {
    new_attr(m, node, name, onnx::AttributeProto::STRING)->set_s(value, length);
    return 0;
  });
}

int connx_node_set_attr_ints(connx_model *m, size_t node, const char *name, const int64_t *values, size_t count,
                             char **err) {
  return fenced<int>(err, -1, [&] {
    auto *a = new_attr(m, node, name, onnx::AttributeProto::INTS);
    for (size_t i = 0; i < count; ++i) a->add_ints(values[i]);
    return 0;
  });
}

int connx_node_set_attr_strings(connx_model *m, size_t node, const char *name, const char *const *values, size_t count,
                                char **err) {
  return fenced<int>(err, -1, [&] {
    auto *a = new_attr(m, node, name, onnx::AttributeProto::STRINGS);
    for (size_t i = 0; i < count; ++i) a->add_strings(values[i] ? values[i] : "");
    return 0;
  });
}

int connx_node_set_attr_floats(connx_model *m, size_t node, const char *name, const float *values, size_t count,
                               char **err) {
  return fenced<int>(err, -1, [&] {
    auto *a = new_attr(m, node, name, onnx::AttributeProto::FLOATS);
    for (size_t i = 0; i < count; ++i) a->add_floats(values[i]);
    return 0;
  });
}

int connx_node_set_attr_tensor(connx_model *m, size_t node, const char *name, int32_t elem_type,
                               const int64_t *dims, size_t rank, const void *data, size_t bytes, char **err) {
  return fenced<int>(err, -1, [&] {
    onnx::TensorProto t;
    connx::fill_tensor(t, nullptr, elem_type, dims, rank, data, bytes);
    *new_attr(m, node, name, onnx::AttributeProto::TENSOR)->mutable_t() = std::move(t);
    return 0;
  });
}

}  // extern "C"
