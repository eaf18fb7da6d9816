// The ControlNet extension's API (sd-webui-controlnet's api.py): version, model and module lists,
// and detect (run a preprocessor), which its clients call before they send units to txt2img.

#include <httplib.h>

#include "app/server/http_util.h"
#include "app/server/job_json.h"
#include "app/server/routes.h"
#include "app/server/server_context.h"
#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/api/error.h"
#include "engine/api/preprocessors.h"

namespace easel::server {

using nlohmann::json;

namespace {

json modelList(const ServerContext& ctx)
{
    json names = json::array();
    for (const auto& m : ctx.models->list("controlnet")) // the extension writes "name [sha256[:8]]"
        names.push_back(m.shortHash.empty() ? m.name : m.name + " [" + m.shortHash.substr(0, 8) + "]");
    return {{"model_list", names}};
}

json slider(const api::PreprocessorSlot& s)
{
    return {{"name", s.label}, {"value", s.defaultValue}, {"min", s.minimum}, {"max", s.maximum}, {"step", s.step}};
}

json moduleList()
{
    json names = json::array(), detail = json::object();
    for (const auto& p : api::preprocessorList()) {
        names.push_back(p.name);
        json sliders = json::array();
        if (p.usesResolution)
            sliders.push_back({{"name", "Preprocessor Resolution"}, {"value", 512}, {"min", 64}, {"max", 2048}, {"step", 8}});
        if (!p.a.label.empty())
            sliders.push_back(slider(p.a));
        if (!p.b.label.empty())
            sliders.push_back(slider(p.b));
        detail[p.name] = {{"model_free", false}, {"sliders", sliders}};
    }
    return {{"module_list", names}, {"module_detail", detail}};
}

/// POST /controlnet/detect: {controlnet_module, controlnet_input_images, controlnet_processor_res,
/// controlnet_threshold_a, controlnet_threshold_b} -> {images: [base64 PNG], info}.
json detect(const ServerContext& ctx, const json& body)
{
    std::vector<FieldError> errors;
    FieldReader f(body, {"body"}, errors);
    const std::string module = f.text("controlnet_module", "none");
    const api::PreprocessorInfo* pre = api::findPreprocessor(module);
    if (!pre)
        f.fail("controlnet_module", "unknown preprocessor '" + module + "'; GET /controlnet/module_list lists them");
    api::PreprocessOptions o;
    o.resolution = int(f.integer("controlnet_processor_res", 512, 64, 4096));
    o.thresholdA = f.number("controlnet_threshold_a", -1);
    o.thresholdB = f.number("controlnet_threshold_b", -1);
    std::vector<api::Image> inputs;
    const json* images = f.raw("controlnet_input_images");
    if (!images || !images->is_array() || images->empty())
        f.fail("controlnet_input_images", "a list of base64 images is required", "value_error.missing");
    else
        for (size_t i = 0; i < images->size() && i < 16; ++i) {
            try {
                inputs.push_back(decodeUpload((*images)[i].is_string() ? (*images)[i].get<std::string>() : "",
                                              ctx.options.maxPixels));
            } catch (const UploadRefused& e) {
                errors.push_back({{"body", "controlnet_input_images", std::to_string(i)}, e.what(), "value_error.image"});
            }
        }
    if (!errors.empty())
        throw ValidationError(errors);
    json out = json::array();
    for (const auto& img : inputs)
        out.push_back(pngBase64(api::preprocessControlImage(pre->name, img, o), {}));
    return {{"images", out}, {"info", "Success"}};
}

} // namespace

void registerControlNetRoutes(httplib::Server& http, ServerContext& ctx)
{
    http.Get("/controlnet/version", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, json{{"version", 2}});
    });
    http.Get("/controlnet/model_list", [&ctx](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, modelList(ctx));
    });
    http.Get("/controlnet/module_list", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, moduleList());
    });
    http.Get("/controlnet/settings", [&ctx](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, json{{"control_net_unit_count", ctx.a1111.all().value("control_net_unit_count", 3)}});
    });
    http.Post("/controlnet/detect", [&ctx](const httplib::Request& req, httplib::Response& res) {
        try {
            sendJson(res, 200, detect(ctx, bodyObject(req)));
        } catch (const ValidationError& e) {
            sendValidation(res, e);
        } catch (const api::Error& e) {
            sendEngineError(res, e);
        }
    });
}

} // namespace easel::server
