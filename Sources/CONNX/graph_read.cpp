// Walking a model's graph: value infos, initialisers, nodes, attributes. Accessors check
// their indices and answer "" / 0 / -1 when out of range, so a bad index from the caller
// is a wrong answer rather than undefined behaviour.
#include "internal.hpp"

using connx::Error;
using connx::fenced;

namespace {

const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> *values(const connx_model *m, int kind) {
  const auto &g = m->proto.graph();
  switch (kind) {
    case CONNX_GRAPH_INPUT: return &g.input();
    case CONNX_GRAPH_OUTPUT: return &g.output();
    case CONNX_GRAPH_VALUE_INFO: return &g.value_info();
    default: return nullptr;
  }
}

const onnx::ValueInfoProto *value(const connx_model *m, int kind, size_t i) {
  auto *list = values(m, kind);
  if (!list || i >= static_cast<size_t>(list->size())) return nullptr;
  return &list->Get(static_cast<int>(i));
}

const onnx::TensorShapeProto *shape_of(const connx_model *m, int kind, size_t i) {
  auto *v = value(m, kind, i);
  if (!v || !v->type().has_tensor_type() || !v->type().tensor_type().has_shape()) return nullptr;
  return &v->type().tensor_type().shape();
}

const onnx::NodeProto *node_at(const connx_model *m, size_t i) {
  const auto &g = m->proto.graph();
  if (i >= static_cast<size_t>(g.node_size())) return nullptr;
  return &g.node(static_cast<int>(i));
}

const onnx::AttributeProto *attr_at(const connx_model *m, size_t node, size_t k) {
  auto *n = node_at(m, node);
  if (!n || k >= static_cast<size_t>(n->attribute_size())) return nullptr;
  return &n->attribute(static_cast<int>(k));
}

const char *empty = "";

}  // namespace

extern "C" {

// ---- Walking: value infos ----

size_t connx_graph_value_count(const connx_model *m, int kind) {
  auto *list = values(m, kind);
  return list ? static_cast<size_t>(list->size()) : 0;
}

const char *connx_graph_value_name(const connx_model *m, int kind, size_t i) {
  auto *v = value(m, kind, i);
  return v ? v->name().c_str() : empty;
}

int32_t connx_graph_value_elem_type(const connx_model *m, int kind, size_t i) {
  auto *v = value(m, kind, i);
  if (!v || !v->type().has_tensor_type()) return 0;
  return v->type().tensor_type().elem_type();
}

int64_t connx_graph_value_rank(const connx_model *m, int kind, size_t i) {
  auto *s = shape_of(m, kind, i);
  return s ? s->dim_size() : -1;
}

int64_t connx_graph_value_dim(const connx_model *m, int kind, size_t i, size_t d) {
  auto *s = shape_of(m, kind, i);
  if (!s || d >= static_cast<size_t>(s->dim_size())) return -1;
  const auto &dim = s->dim(static_cast<int>(d));
  return dim.has_dim_value() ? dim.dim_value() : -1;
}

const char *connx_graph_value_dim_param(const connx_model *m, int kind, size_t i, size_t d) {
  auto *s = shape_of(m, kind, i);
  if (!s || d >= static_cast<size_t>(s->dim_size())) return empty;
  const auto &dim = s->dim(static_cast<int>(d));
  return dim.has_dim_param() ? dim.dim_param().c_str() : empty;
}

// ---- Walking: initialisers ----

size_t connx_graph_initializer_count(const connx_model *m) { return m->proto.graph().initializer_size(); }

connx_tensor *connx_graph_initializer(const connx_model *m, size_t i, char **err) {
  return fenced<connx_tensor *>(err, nullptr, [&] {
    const auto &g = m->proto.graph();
    if (i >= static_cast<size_t>(g.initializer_size())) throw Error("initializer index out of range");
    auto *t = new connx_tensor;
    t->proto = g.initializer(static_cast<int>(i));
    return t;
  });
}

size_t connx_graph_sparse_initializer_count(const connx_model *m) {
  return m->proto.graph().sparse_initializer_size();
}

// ---- Walking: nodes and attributes ----

size_t connx_graph_node_count(const connx_model *m) { return m->proto.graph().node_size(); }

const char *connx_node_op_type(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->op_type().c_str() : empty;
}

const char *connx_node_name(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->name().c_str() : empty;
}

const char *connx_node_domain(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->domain().c_str() : empty;
}

size_t connx_node_input_count(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->input_size() : 0;
}

const char *connx_node_input(const connx_model *m, size_t node, size_t k) {
  auto *n = node_at(m, node);
  return n && k < static_cast<size_t>(n->input_size()) ? n->input(static_cast<int>(k)).c_str() : empty;
}

size_t connx_node_output_count(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->output_size() : 0;
}

const char *connx_node_output(const connx_model *m, size_t node, size_t k) {
  auto *n = node_at(m, node);
  return n && k < static_cast<size_t>(n->output_size()) ? n->output(static_cast<int>(k)).c_str() : empty;
}

size_t connx_node_attr_count(const connx_model *m, size_t node) {
  auto *n = node_at(m, node);
  return n ? n->attribute_size() : 0;
}

const char *connx_node_attr_name(const connx_model *m, size_t node, size_t k) {
  auto *a = attr_at(m, node, k);
  return a ? a->name().c_str() : empty;
}

int32_t connx_node_attr_type(const connx_model *m, size_t node, size_t k) {
  auto *a = attr_at(m, node, k);
  return a ? a->type() : 0;
}

int64_t connx_node_attr_int(const connx_model *m, size_t node, size_t k) {
  auto *a = attr_at(m, node, k);
  return a ? a->i() : 0;
}

float connx_node_attr_float(const connx_model *m, size_t node, size_t k) {
  auto *a = attr_at(m, node, k);
  return a ? a->f() : 0;
}

const char *connx_node_attr_string(const connx_model *m, size_t node, size_t k, size_t *length) {
  auto *a = attr_at(m, node, k);
  *length = a ? a->s().size() : 0;
  return a ? a->s().data() : empty;
}

const int64_t *connx_node_attr_ints(const connx_model *m, size_t node, size_t k, size_t *count) {
  auto *a = attr_at(m, node, k);
  *count = a ? a->ints_size() : 0;
  return a && a->ints_size() ? a->ints().data() : nullptr;
}

const float *connx_node_attr_floats(const connx_model *m, size_t node, size_t k, size_t *count) {
  auto *a = attr_at(m, node, k);
  *count = a ? a->floats_size() : 0;
  return a && a->floats_size() ? a->floats().data() : nullptr;
}

size_t connx_node_attr_strings_count(const connx_model *m, size_t node, size_t k) {
  auto *a = attr_at(m, node, k);
  return a ? static_cast<size_t>(a->strings_size()) : 0;
}

const char *connx_node_attr_strings_at(const connx_model *m, size_t node, size_t k, size_t i, size_t *length) {
  auto *a = attr_at(m, node, k);
  if (!a || i >= static_cast<size_t>(a->strings_size())) {
    *length = 0;
    return empty;
  }
  *length = a->strings(static_cast<int>(i)).size();
  return a->strings(static_cast<int>(i)).data();
}

connx_tensor *connx_node_attr_tensor(const connx_model *m, size_t node, size_t k, char **err) {
  return fenced<connx_tensor *>(err, nullptr, [&] {
    auto *a = attr_at(m, node, k);
    if (!a || !a->has_t()) throw Error("attribute has no tensor");
    auto *t = new connx_tensor;
    t->proto = a->t();
    return t;
  });
}

}  // extern "C"
