#include "engine/controlnet/control_session.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/controlnet/preprocessors.h"
#include "engine/image/image_file.h"
#include "engine/image/ops.h"

namespace easel::controlnet {

using api::Error;
using api::ErrorCode;

namespace {

std::vector<std::string> onnxFolders(const std::string& modelPath)
{
    std::vector<std::string> out;
    if (const char* env = std::getenv("EASEL_ANNOTATORS"))
        out.emplace_back(env);
    const std::filesystem::path folder = std::filesystem::path(modelPath).parent_path();
    out.push_back((folder / "annotators").string());
    return out;
}

} // namespace

std::vector<PreparedUnit> prepareUnits(const std::vector<api::ControlUnit>& units, const std::string& checkpointPath,
                                       const io::DetectedModel& checkpoint, const torch::Device& device,
                                       torch::ScalarType dtype, ControlNetCache& cache, const PrepareOptions& options)
{
    std::vector<PreparedUnit> out;
    std::vector<std::shared_ptr<LoadedControlNet>> used;
    for (size_t i = 0; i < units.size(); ++i) {
        const api::ControlUnit& u = units[i];
        if (!u.enabled || u.weight == 0.0)
            continue;
        const std::string which = "ControlNet unit " + std::to_string(i);
        PreparedUnit p;
        p.index = static_cast<int>(i);
        p.unit = u;
        p.mode = parseControlMode(u.controlMode);
        p.unit.controlMode = controlModeLabel(p.mode);
        const PreprocessorInfo* pre = findPreprocessor(u.preprocessor);
        if (!pre)
            (void)runPreprocessor(u.preprocessor, api::Image{}, {}); // throws the "unknown, use one of" error
        p.unit.preprocessor = pre->name;
        if (u.image.empty() && u.imagePixels.empty())
            throw Error(ErrorCode::InvalidRequest, which + " has no control image; choose one or disable the unit");
        // Model first: a wrong-family model should fail before any image work.
        p.model = cache.get(resolveControlNetPath(u.model, checkpointPath), device, dtype, &checkpoint, checkpointPath);
        checkCompatible(*p.model, checkpoint, checkpointPath);
        used.push_back(p.model);

        const api::Image picture = image::toRgb(u.imagePixels.empty() ? image::readImageFile(u.image) : u.imagePixels);
        PreprocessOptions po;
        po.resolution = u.pixelPerfect ? pixelPerfectResolution(picture.width, picture.height, options.width,
                                                                options.height, u.resizeMode)
                                       : u.processorResolution;
        // The recorded thresholds are the values used (the extension writes its slider values).
        if (!pre->a.label.empty() && p.unit.thresholdA < 0)
            p.unit.thresholdA = pre->a.defaultValue;
        if (!pre->b.label.empty() && p.unit.thresholdB < 0)
            p.unit.thresholdB = pre->b.defaultValue;
        po.thresholdA = p.unit.thresholdA;
        po.thresholdB = p.unit.thresholdB;
        po.seed = options.seed;
        po.onnxSearchDirs = onnxFolders(p.model->path);
        p.control = runPreprocessor(pre->name, picture, po);
        out.push_back(std::move(p));
    }
    cache.retainOnly(used);
    return out;
}

torch::Tensor hintTensor(const PreparedUnit& unit, int width, int height)
{
    if (unit.fixedHint.defined()) {
        const torch::Tensor h = unit.fixedHint.to(torch::kFloat32);
        if (h.size(2) == height && h.size(3) == width)
            return h;
        return torch::nn::functional::interpolate(h, torch::nn::functional::InterpolateFuncOptions()
                                                         .size(std::vector<int64_t>{height, width})
                                                         .mode(torch::kBilinear)
                                                         .align_corners(false));
    }
    const api::Image sized = image::toRgb(image::resizeWithMode(unit.control, width, height, unit.unit.resizeMode));
    torch::Tensor t = torch::from_blob(const_cast<std::uint8_t*>(sized.pixels.data()), {height, width, 3}, torch::kUInt8);
    return t.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(255.0).contiguous();
}

std::vector<double> outputScales(const PreparedUnit& unit, size_t outputs, bool hiresPass)
{
    const bool forcedSoft = hiresPass && unit.unit.preprocessor.find("canny") != std::string::npos;
    const bool soft = unit.mode != ControlMode::Balanced || forcedSoft;
    std::vector<double> scales(outputs, unit.unit.weight);
    if (soft) // Ref: sd-webui-controlnet hook.py: weight * 0.825 ** (12 - i), zipped with the outputs.
        for (size_t i = 0; i < outputs && i < 13; ++i)
            scales[i] = unit.unit.weight * std::pow(0.825, 12.0 - static_cast<double>(i));
    return scales;
}

ControlSession::ControlSession(std::vector<PreparedUnit> units)
    : m_units(std::move(units))
{
}

models::ControlHook ControlSession::attach(const Pass& pass)
{
    if (m_units.empty())
        return {};
    m_batchSize = std::max(1, pass.batchSize);
    m_condParts = std::max(1, pass.condParts);
    m_samplingStep = 0;
    m_samplingSteps = std::max(1, pass.totalSteps);
    m_hires = pass.hires;
    m_lastCall = -1;
    m_callPosition = 0;
    m_hints.clear();
    for (const auto& u : m_units)
        m_hints.push_back(hintTensor(u, pass.width, pass.height).to(u.model->device));
    return [this](const torch::Tensor& xIn, const torch::Tensor& t, const torch::Tensor& context,
                  const torch::Tensor& y, int call) { return residuals(xIn, t, context, y, call); };
}

bool ControlSession::inWindow(const PreparedUnit& unit) const
{
    // Ref: hook.py guidance_schedule_handler: stopped when percent < start or percent > end.
    const double percent = double(m_samplingStep) / double(m_samplingSteps);
    return !(percent < unit.unit.guidanceStart || percent > unit.unit.guidanceEnd);
}

std::optional<models::ControlResiduals> ControlSession::residuals(const torch::Tensor& xIn, const torch::Tensor& t,
                                                                  const torch::Tensor& context, const torch::Tensor& y,
                                                                  int call)
{
    const int64_t n = xIn.size(0);
    // Which rows carry the negative prompt: CfgDenoiser batches cond parts then uncond (n = (k+1)·b),
    // or calls the model once per part in that order (n = b).
    if (call != m_lastCall) {
        m_lastCall = call;
        m_callPosition = 0;
    }
    const int position = m_callPosition++;
    torch::Tensor condMask; // [n, 1, 1, 1], 1 = cond row
    if (n == static_cast<int64_t>(m_condParts + 1) * m_batchSize) {
        condMask = torch::ones({n, 1, 1, 1});
        condMask.narrow(0, n - m_batchSize, m_batchSize).zero_();
    } else if (n == m_batchSize) {
        condMask = torch::full({n, 1, 1, 1}, position >= m_condParts ? 0.0 : 1.0);
    } else {
        condMask = torch::ones({n, 1, 1, 1});
    }

    std::optional<models::ControlResiduals> total;
    for (size_t u = 0; u < m_units.size(); ++u) {
        const PreparedUnit& unit = m_units[u];
        if (!inWindow(unit))
            continue;
        const models::ControlNet& net = *unit.model->net;
        const int expectIn = unit.model->detected.controlNet.unet.inChannels;
        const torch::Tensor x = xIn.size(1) != expectIn && xIn.size(1) > expectIn ? xIn.narrow(1, 0, expectIn) : xIn;
        torch::Tensor hint = m_hints[u];
        if (hint.size(0) != n)
            hint = hint.size(0) == 1 ? hint.expand({n, -1, -1, -1}) : hint.repeat({n / hint.size(0), 1, 1, 1});
        const bool wantsY = unit.model->detected.controlNet.unet.admInChannels > 0 && y.defined();
        models::ControlResiduals r =
            net.forward(x, hint, t, context, wantsY ? std::optional<torch::Tensor>(y) : std::nullopt, 1.0);
        ++m_modelCalls;
        const std::vector<double> scales = outputScales(unit, r.down.size() + 1, m_hires);
        const bool cfgInjection = unit.mode == ControlMode::ControlNetMoreImportant;
        auto scaled = [&](const torch::Tensor& v, double s) {
            torch::Tensor out = v * s;
            return cfgInjection ? out * condMask.to(out.device(), out.scalar_type()) : out;
        };
        for (size_t i = 0; i < r.down.size(); ++i)
            r.down[i] = scaled(r.down[i], scales[i]);
        r.mid = scaled(r.mid, scales[r.down.size()]);
        if (!total) {
            total = std::move(r);
            continue;
        }
        for (size_t i = 0; i < r.down.size() && i < total->down.size(); ++i)
            total->down[i] = total->down[i] + r.down[i];
        total->mid = total->mid + r.mid;
    }
    return total;
}

std::vector<std::string> ControlSession::infotextUnits() const
{
    std::vector<std::string> out;
    for (const auto& u : m_units)
        out.push_back(formatUnitInfotext(u.unit, u.model ? u.model->label() : u.unit.model));
    return out;
}

} // namespace easel::controlnet
