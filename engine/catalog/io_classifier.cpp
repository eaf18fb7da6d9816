// The catalog's classifier is engine/io's detector: one definition of what a file is.

#include "engine/catalog/classifier.h"

#include "engine/io/checkpoint_file.h"
#include "engine/io/model_check.h"
#include "engine/io/safetensors.h"

namespace easel::catalog {

namespace {

const char* variantName(io::CheckpointVariant v)
{
    switch (v) {
    case io::CheckpointVariant::Inpainting: return "inpainting";
    case io::CheckpointVariant::InstructPix2Pix: return "instruct-pix2pix";
    case io::CheckpointVariant::Normal: break;
    }
    return "";
}

Classification fromDetection(const io::DetectedModel& m, std::size_t tensorCount)
{
    Classification c;
    c.kind = io::modelKindName(m.kind);
    c.family = m.family == io::ModelFamily::Unknown ? std::string() : io::modelFamilyName(m.family);
    for (const auto& n : m.notes)
        c.detail += (c.detail.empty() ? "" : "; ") + n;
    switch (m.kind) {
    case io::ModelKind::LoRA: c.subtype = m.loraType; break;
    case io::ModelKind::Checkpoint: c.subtype = variantName(m.variant); break;
    case io::ModelKind::Upscaler: c.subtype = m.upscalerArch; break;
    case io::ModelKind::Unsupported:
        c.subtype = m.unsupportedFamily;
        c.status = "unsupported";
        c.detail = (m.unsupportedFamily.empty() ? std::string("this model type") : m.unsupportedFamily)
                   + " is not supported yet; it is listed but cannot be loaded";
        break;
    case io::ModelKind::Unknown:
        // No tensors, or none of a known layout: nothing could ever load it (issue 21).
        c.status = "broken";
        c.detail = io::notAModelReason(m, tensorCount);
        break;
    default: break;
    }
    return c;
}

Classification classify(const io::SafetensorsFile& header)
{
    const io::TensorShapes shapes = io::TensorShapes::of(header);
    return fromDetection(io::detectModel(shapes), shapes.shapes.size());
}

Classification classifyPickle(const std::string& path)
{
    const io::CheckpointFile file = io::CheckpointFile::open(path);
    io::TensorShapes shapes;
    for (const io::PickledTensor& t : file.tensors())
        shapes.shapes[t.name] = t.shape;
    return fromDetection(io::detectModel(shapes), shapes.shapes.size());
}

} // namespace

Classifier ioClassifier() { return &classify; }

PickleClassifier ioPickleClassifier() { return &classifyPickle; }

} // namespace easel::catalog
