// Creating, parsing, serialising and checking whole models.
#include "internal.hpp"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <sstream>

using connx::Error;
using connx::fenced;

extern "C" {

void connx_string_free(char *s) { std::free(s); }
void connx_bytes_free(void *p) { std::free(p); }
int64_t connx_library_ir_version(void) { return onnx::IR_VERSION; }

connx_model *connx_model_create(int64_t ir_version, int64_t opset, const char *producer,
                                const char *producer_version, const char *graph_name, char **err) {
  return fenced<connx_model *>(err, nullptr, [&] {
    auto *m = new connx_model;
    m->proto.set_ir_version(ir_version);
    if (producer) m->proto.set_producer_name(producer);
    if (producer_version) m->proto.set_producer_version(producer_version);
    auto *op = m->proto.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    m->proto.mutable_graph()->set_name(graph_name ? graph_name : "graph");
    return m;
  });
}

connx_model *connx_model_parse(const void *bytes, size_t count, char **err) {
  return fenced<connx_model *>(err, nullptr, [&] {
    auto *m = new connx_model;
    if (!m->proto.ParseFromArray(bytes, static_cast<int>(count))) {
      delete m;
      throw Error("not a valid ONNX model (protobuf parse failed)");
    }
    return m;
  });
}

connx_model *connx_model_load(const char *path, char **err) {
  return fenced<connx_model *>(err, nullptr, [&] {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(std::string("cannot open ") + path);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string data = ss.str();
    auto *m = new connx_model;
    if (!m->proto.ParseFromString(data)) {
      delete m;
      throw Error(std::string(path) + ": not a valid ONNX model (protobuf parse failed)");
    }
    return m;
  });
}

void connx_model_free(connx_model *m) { delete m; }

void *connx_model_serialize(const connx_model *m, size_t *count, char **err) {
  return fenced<void *>(err, nullptr, [&]() -> void * {
    std::string s;
    if (!m->proto.SerializeToString(&s)) throw Error("protobuf could not serialise the model");
    void *out = std::malloc(s.size() ? s.size() : 1);
    if (!out) throw Error("out of memory");
    std::memcpy(out, s.data(), s.size());
    *count = s.size();
    return out;
  });
}

int connx_model_save(const connx_model *m, const char *path, char **err) {
  return fenced<int>(err, -1, [&] {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(std::string("cannot write ") + path);
    if (!m->proto.SerializeToOstream(&out)) throw Error(std::string("protobuf could not write ") + path);
    out.close();
    if (!out) throw Error(std::string("error while writing ") + path);
    return 0;
  });
}

int connx_model_check(const connx_model *m, int full, char **err) {
  return fenced<int>(err, -1, [&] {
    onnx::checker::check_model(m->proto);
    if (full) {
      onnx::ModelProto copy = m->proto;
      onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(),
                                         onnx::ShapeInferenceOptions(true, 1, false));
    }
    return 0;
  });
}

int connx_model_infer_shapes(connx_model *m, int strict, char **err) {
  return fenced<int>(err, -1, [&] {
    onnx::shape_inference::InferShapes(m->proto, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(strict != 0, strict ? 1 : 0, false));
    return 0;
  });
}

int64_t connx_model_ir_version(const connx_model *m) { return m->proto.ir_version(); }
const char *connx_model_producer(const connx_model *m) { return m->proto.producer_name().c_str(); }
size_t connx_model_opset_count(const connx_model *m) { return m->proto.opset_import_size(); }
const char *connx_model_opset_domain(const connx_model *m, size_t i) {
  return m->proto.opset_import(static_cast<int>(i)).domain().c_str();
}
int64_t connx_model_opset_version(const connx_model *m, size_t i) {
  return m->proto.opset_import(static_cast<int>(i)).version();
}
const char *connx_graph_name(const connx_model *m) { return m->proto.graph().name().c_str(); }

}  // extern "C"
