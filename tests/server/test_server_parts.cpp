// easel-server's parts without a socket: option parsing and the refusal to serve an open
// network, credentials, image headers probed before decoding, FastAPI-shaped field errors, the
// A1111 payload → GenerationRequest mapping, SD upscale tiles, and the Prometheus exposition.

#include <QtTest>

#include "app/server/a1111_request.h"
#include "app/server/credentials.h"
#include "app/server/metrics.h"
#include "app/server/sd_upscale.h"
#include "app/server/server_options.h"
#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

using namespace easel;
using namespace easel::server;
using nlohmann::json;

namespace {

std::vector<unsigned char> png(int w, int h)
{
    api::Image img;
    img.width = w;
    img.height = h;
    img.pixels.assign(size_t(w) * h * 3, 100);
    return image::encodePng(img);
}

A1111ParseContext context()
{
    A1111ParseContext c;
    c.maxPixels = 1024 * 1024;
    c.resolve = [](const std::string& kind, const std::string& name) {
        if (name.find('/') != std::string::npos)
            throw std::runtime_error("'" + name + "' looks like a path");
        return (kind == "checkpoint" && name.rfind("tiny", 0) == 0) || (kind == "controlnet" && name == "cn") ? "/m/" + name : "";
    };
    c.known = [](const std::string& kind) { return kind == "checkpoint" ? std::vector<std::string>{"tiny.safetensors [abc]"} : std::vector<std::string>{}; };
    return c;
}

std::vector<std::string> fieldsOf(const ValidationError& e)
{
    std::vector<std::string> out;
    for (const auto& f : e.errors)
        out.push_back(f.loc.back());
    return out;
}

} // namespace

class TestServerParts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void optionsParseAndRefuseOpenNetworks()
    {
        const ServerOptions d = parseServerOptions({});
        QCOMPARE(d.host, std::string("127.0.0.1"));
        QCOMPARE(d.port, 7860);
        QVERIFY(refuseReason(d).empty());
        const ServerOptions o = parseServerOptions({"--listen", "[::1]:9000", "--api-auth", "a:b,c:d", "--queue-depth", "4"});
        QCOMPARE(o.host, std::string("::1"));
        QCOMPARE(o.port, 9000);
        QCOMPARE(o.basicAuth.size(), size_t(2));
        QCOMPARE(o.queueDepth, 4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseServerOptions({"--listen", "nohost"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseServerOptions({"--listen", "x:70000"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseServerOptions({"--queue-depth", "0"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseServerOptions({"--api-auth", "nopassword"}));
        QVERIFY(!refuseReason(parseServerOptions({"--listen", "0.0.0.0:7860"})).empty());
        QVERIFY(refuseReason(parseServerOptions({"--listen", "0.0.0.0:7860", "--api-auth", "u:p"})).empty());
        QVERIFY(refuseReason(parseServerOptions({"--listen", "0.0.0.0:7860", "--insecure-no-auth"})).empty());
        QVERIFY(!refuseReason(parseServerOptions({"--tls-cert", "c.pem"})).empty());
    }

    void credentialsCompareDigests()
    {
        Credentials open;
        QCOMPARE(open.identify("", "").value(), std::string());
        Credentials c;
        c.addKey("alice", "alice-key-0123456789");
        c.addUser("bob", "pw");
        QCOMPARE(c.identify("Bearer alice-key-0123456789", "").value(), std::string("alice"));
        QCOMPARE(c.identify("bearer  alice-key-0123456789 ", "").value(), std::string("alice"));
        QCOMPARE(c.identify("", "alice-key-0123456789").value(), std::string("alice"));
        QVERIFY(!c.identify("Bearer alice-key-012345678", ""));
        QCOMPARE(c.identify("Basic " + core::base64Encode(reinterpret_cast<const unsigned char*>("bob:pw"), 6), "").value(),
                 std::string("bob"));
        QVERIFY(!c.identify("Basic " + core::base64Encode(reinterpret_cast<const unsigned char*>("bob:px"), 6), ""));
        QVERIFY(!c.identify("Bearer pw", "")); // a Basic password is not a key
        QVERIFY(!c.identify("", ""));
    }

    void imageHeadersAreReadBeforeDecoding()
    {
        const auto p = probeImageHeader(png(33, 17));
        QVERIFY(p);
        QCOMPARE(p->format, std::string("png"));
        QCOMPARE(p->width, 33);
        QCOMPARE(p->height, 17);
        // JPEG: SOI, APP0, SOF0 with height 300, width 200.
        const std::vector<unsigned char> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0x2C, 0x00, 0xC8, 3, 0, 0, 0};
        QCOMPARE(probeImageHeader(jpeg)->width, 200);
        QCOMPARE(probeImageHeader(jpeg)->height, 300);
        // WebP VP8X canvas 4000×3000 (stored minus one, 24-bit little endian).
        std::vector<unsigned char> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0, 0, 0, 0, 0};
        for (int v : {3999, 2999})
            webp.insert(webp.end(), {static_cast<unsigned char>(v & 0xFF), static_cast<unsigned char>((v >> 8) & 0xFF), 0});
        QCOMPARE(probeImageHeader(webp)->width, 4000);
        QCOMPARE(probeImageHeader(webp)->height, 3000);
        QVERIFY(!probeImageHeader({'h', 'e', 'l', 'l', 'o'}));

        const std::string b64 = core::base64Encode(png(8, 8));
        QCOMPARE(decodeUpload(b64, 64).width, 8);
        QCOMPARE(decodeUpload("data:image/png;base64," + b64, 64).height, 8);
        QVERIFY_THROWS_EXCEPTION(UploadRefused, decodeUpload(b64, 63));
        QVERIFY_THROWS_EXCEPTION(UploadRefused, decodeUpload("data:image/png,raw", 64));
        QVERIFY_THROWS_EXCEPTION(UploadRefused, decodeUpload("!!!", 64));
        QVERIFY_THROWS_EXCEPTION(UploadRefused, decodeUpload(b64.substr(0, b64.size() / 2), 64)); // truncated
    }

    void fieldReaderCollectsEveryError()
    {
        std::vector<FieldError> errors;
        const json body{{"a", "12"}, {"b", 2.5}, {"c", "x"}, {"d", 7}, {"e", nullptr}, {"f", 1}};
        FieldReader r(body, {"body"}, errors);
        QCOMPARE(r.integer("a", 0), 12LL);   // pydantic coerces numeric strings
        QCOMPARE(r.integer("b", 0), 0LL);    // 2.5 is not an integer
        QCOMPARE(r.number("c", 1.0), 1.0);   // not a float
        QCOMPARE(r.integer("d", 0, 0, 5), 0LL);
        QCOMPARE(r.integer("e", 42), 42LL);  // null = default
        QVERIFY(r.boolean("f", false));      // 0/1 as booleans (inpainting_mask_invert)
        QCOMPARE(errors.size(), size_t(3));
        const json detail = ValidationError(errors).detail();
        QCOMPARE(detail[0]["loc"], json::array({"body", "b"}));
        QCOMPARE(detail[0]["type"].get<std::string>(), std::string("type_error.integer"));
        QVERIFY_THROWS_EXCEPTION(ValidationError, parseJsonObject("{"));
        QVERIFY_THROWS_EXCEPTION(ValidationError, parseJsonObject("3"));
    }

    void a1111PayloadMapsToTheRequest()
    {
        const json body{{"prompt", "p"}, {"negative_prompt", "n"}, {"sampler_index", "k_euler_a"}, {"steps", 12},
                        {"cfg_scale", 5.5}, {"width", 96}, {"height", 64}, {"seed", 5}, {"n_iter", 2}, {"batch_size", 3},
                        {"enable_hr", true}, {"hr_scale", 1.5}, {"hr_second_pass_steps", 4}, {"denoising_strength", 0.4},
                        {"override_settings", {{"sd_model_checkpoint", "tiny.safetensors [abc]"}, {"CLIP_stop_at_last_layers", 2}}},
                        {"styles", {"cinematic"}}};
        const A1111Job job = parseA1111(body, false, context());
        const api::GenerationRequest& r = job.request;
        QCOMPARE(r.sampler, std::string("Euler a"));
        QCOMPARE(r.steps, 12);
        QCOMPARE(r.width, 96);
        QCOMPARE(r.batchCount, 2);
        QCOMPARE(r.batchSize, 3);
        QCOMPARE(r.clipSkip, 2);
        QCOMPARE(r.model, std::string("/m/tiny.safetensors [abc]"));
        QVERIFY(r.hires.enabled);
        QCOMPARE(r.hires.scale, 1.5);
        QCOMPARE(r.hires.steps, 4);
        QCOMPARE(r.hires.denoisingStrength, 0.4);
        QCOMPARE(job.notes.size(), size_t(1)); // styles are said to be ignored
        // A1111's API defaults: 50 steps, "Euler", the first served checkpoint.
        const A1111Job defaults = parseA1111(json::object(), false, context());
        QCOMPARE(defaults.request.steps, 50);
        QCOMPARE(defaults.request.sampler, std::string("Euler"));
        QCOMPARE(defaults.request.model, std::string("/m/tiny.safetensors [abc]"));
    }

    void img2imgMaskAndControlNetUnits()
    {
        const std::string image = core::base64Encode(png(16, 16));
        json body{{"init_images", {image}}, {"mask", image}, {"inpainting_fill", 2}, {"inpaint_full_res", false},
                  {"inpainting_mask_invert", 1}, {"mask_blur", 6}, {"resize_mode", 1},
                  {"alwayson_scripts", {{"ControlNet", {{"args", {{{"model", "cn [12345678]"}, {"module", "canny"},
                                                                    {"control_mode", "ControlNet is more important"},
                                                                    {"resize_mode", "Outer Fit (Shrink to Fit)"},
                                                                    {"weight", 0.5}}}}}}}}};
        body["alwayson_scripts"]["ControlNet"]["args"][0]["model"] = "cn";
        const A1111Job job = parseA1111(body, true, context());
        const api::GenerationRequest& r = job.request;
        QCOMPARE(r.initPixels.width, 16);
        QVERIFY(r.inpaint);
        QCOMPARE(r.inpaint->maskPixels.channels, 1);
        QCOMPARE(int(r.inpaint->maskedContent), int(api::MaskedContent::LatentNoise));
        QCOMPARE(int(r.inpaint->area), int(api::InpaintArea::WholePicture));
        QCOMPARE(int(r.inpaint->maskMode), int(api::MaskMode::InpaintNotMasked));
        QCOMPARE(r.inpaint->maskBlur, 6);
        QCOMPARE(int(r.resizeMode), int(api::ResizeMode::CropAndResize));
        QCOMPARE(r.controlNets.size(), size_t(1));
        QCOMPARE(r.controlNets[0].preprocessor, std::string("canny"));
        QCOMPARE(r.controlNets[0].controlMode, std::string("ControlNet is more important"));
        QCOMPARE(int(r.controlNets[0].resizeMode), int(api::ResizeMode::ResizeAndFill));
        QCOMPARE(r.controlNets[0].imagePixels.width, 16); // no unit image: the img2img picture
    }

    void everyBadFieldIsReported()
    {
        const json body{{"steps", 0}, {"width", 60000}, {"sampler_name", "nope"}, {"scheduler", "nope"},
                        {"override_settings", {{"sd_model_checkpoint", "../x"}}}, {"hr_upscaler", "ESRGAN_4x"}};
        try {
            parseA1111(body, false, context());
            QFAIL("no error");
        } catch (const ValidationError& e) {
            const auto fields = fieldsOf(e);
            for (const char* f : {"steps", "width", "sampler_name", "scheduler", "override_settings", "hr_upscaler"})
                QVERIFY2(std::find(fields.begin(), fields.end(), f) != fields.end(), f);
        }
    }

    void sdUpscaleTilesCoverAndBlend()
    {
        const TileGrid g = splitGrid(200, 100, 64, 64, 8);
        QCOMPARE(g.xs.front(), 0);
        QCOMPARE(g.xs.back(), 200 - 64);
        QCOMPARE(g.ys.back(), 100 - 64);
        for (size_t i = 1; i < g.xs.size(); ++i)
            QVERIFY(g.xs[i - 1] + 64 - g.xs[i] >= 8); // neighbours overlap
        api::Image flat;
        flat.width = flat.height = 64;
        flat.pixels.assign(64 * 64 * 3, 77);
        const api::Image joined = combineGrid(g, std::vector<api::Image>(g.xs.size() * g.ys.size(), flat));
        QCOMPARE(joined.width, 200);
        QVERIFY(std::all_of(joined.pixels.begin(), joined.pixels.end(), [](unsigned char v) { return v == 77; }));
    }

    void metricsRenderPrometheusText()
    {
        Metrics m;
        service::JobEvent started;
        started.kind = service::JobEventKind::Started;
        started.id = 1;
        m.onJobEvent(started);
        service::JobEvent finished = started;
        finished.kind = service::JobEventKind::Finished;
        finished.state = service::JobState::Failed;
        finished.errorCode = api::ErrorCode::OutOfMemory;
        m.onJobEvent(finished);
        m.countHttp(503);
        const std::string text = m.render({3, 1, false, true});
        for (const char* line : {"easel_queue_depth 3", "easel_jobs_running 1", "easel_jobs_finished_total{state=\"failed\"} 1",
                                 "easel_job_errors_total{code=\"out_of_memory\"} 1", "easel_http_responses_total{code=\"503\"} 1",
                                 "easel_job_duration_seconds_bucket{le=\"+Inf\"} 1", "# TYPE easel_step_duration_seconds histogram"})
            QVERIFY2(text.find(line) != std::string::npos, line);
    }
};

QTEST_GUILESS_MAIN(TestServerParts)
#include "test_server_parts.moc"
