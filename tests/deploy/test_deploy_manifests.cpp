// The deployment files under installer/deploy/, checked offline (no cluster, no Docker here):
// every YAML document parses, the Kubernetes objects carry what the API server requires, the
// names they use for each other resolve (Services → pods, probes → ports, volumes → Secrets and
// claims, KEDA → the worker Deployment and the job stream), and every easel-server command line
// in them is one that easel-server itself accepts, with the roles, ports and Redis address that
// the other files expect.

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <QtTest>
#include <yaml-cpp/yaml.h>

#include "app/fleet/fleet_protocol.h"
#include "app/fleet/redis_client.h"
#include "app/server/server_options.h"

namespace fs = std::filesystem;
using easel::server::ServerOptions;

namespace {

const fs::path kDeployDir = fs::path(EASEL_SOURCE_DIR) / "installer" / "deploy";

std::vector<YAML::Node> documentsOf(const fs::path& file)
{
    std::vector<YAML::Node> docs;
    for (const YAML::Node& d : YAML::LoadAllFromFile(file.string()))
        if (d && !d.IsNull())
            docs.push_back(d);
    return docs;
}

std::vector<YAML::Node> kubernetesObjects()
{
    std::vector<YAML::Node> all;
    for (const auto& entry : fs::recursive_directory_iterator(kDeployDir / "k8s"))
        if (entry.path().extension() == ".yaml")
            for (const YAML::Node& d : documentsOf(entry.path()))
                all.push_back(d);
    return all;
}

std::string text(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

std::vector<std::string> strings(const YAML::Node& seq)
{
    std::vector<std::string> out;
    for (const YAML::Node& n : seq)
        out.push_back(n.as<std::string>());
    return out;
}

/// Kubernetes expands $(NAME) from the container's env; values from the downward API or a
/// Secret get a stand-in of the right shape.
std::vector<std::string> expandedArgs(const YAML::Node& container)
{
    std::map<std::string, std::string> env;
    for (const YAML::Node& e : container["env"])
        env[text(e["name"])] = e["value"] ? text(e["value"]) : "from-" + text(e["name"]);
    std::vector<std::string> args;
    static const std::regex var(R"(\$\(([A-Za-z_][A-Za-z0-9_]*)\))");
    for (const std::string& a : strings(container["args"])) {
        std::smatch m;
        std::string out = a;
        while (std::regex_search(out, m, var)) {
            const auto it = env.find(m[1].str());
            if (it == env.end())
                throw std::runtime_error("$(" + m[1].str() + ") is not in the container's env");
            out = m.prefix().str() + it->second + m.suffix().str();
        }
        args.push_back(out);
    }
    return args;
}

ServerOptions parsedOrFail(const std::vector<std::string>& args, const std::string& where)
{
    try {
        ServerOptions o = easel::server::parseServerOptions(args);
        const std::string refused = easel::server::refuseReason(o);
        if (!refused.empty())
            throw std::runtime_error("easel-server would refuse to start: " + refused);
        return o;
    } catch (const std::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
    }
}

/// A compose service with its `<<: *anchor` fields filled in (whether or not the YAML library
/// resolves merge keys itself).
YAML::Node withMergedKeys(const YAML::Node& service)
{
    YAML::Node out = YAML::Clone(service);
    if (const YAML::Node base = service["<<"]) {
        for (const auto& kv : base)
            if (!out[kv.first.as<std::string>()])
                out[kv.first.as<std::string>()] = kv.second;
        out.remove("<<");
    }
    return out;
}

bool subsetOf(const YAML::Node& small, const YAML::Node& big)
{
    for (const auto& kv : small)
        if (text(big[kv.first.as<std::string>()]) != text(kv.second))
            return false;
    return small.size() > 0;
}

} // namespace

class TestDeployManifests : public QObject {
    Q_OBJECT
    std::vector<YAML::Node> m_objects;
    std::map<std::string, YAML::Node> m_byKindName; // "Deployment/easel-api"

    YAML::Node object(const std::string& kind, const std::string& name)
    {
        const auto it = m_byKindName.find(kind + "/" + name);
        return it == m_byKindName.end() ? YAML::Node() : it->second;
    }
    YAML::Node serverContainer(const std::string& deployment)
    {
        const YAML::Node d = object("Deployment", deployment);
        for (const YAML::Node& c : d["spec"]["template"]["spec"]["containers"])
            if (text(c["name"]) == "easel-server")
                return c;
        return {};
    }
    ServerOptions serverOptions(const std::string& deployment)
    {
        return parsedOrFail(expandedArgs(serverContainer(deployment)), "Deployment " + deployment);
    }

    /// Runs a check that reads command lines: easel-server's parser throws its reason, shown as the failure.
    void failOnThrow(void (TestDeployManifests::*check)())
    {
        try {
            (this->*check)();
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    void checkServerArgumentsAreOnesEaselServerAccepts()
    {
        const ServerOptions api = serverOptions("easel-api");
        const ServerOptions worker = serverOptions("easel-worker");
        QCOMPARE(api.role, std::string("api"));
        QCOMPARE(worker.role, std::string("worker"));
        QVERIFY(!worker.workerId.empty()); // the pod name: each worker its own inbox
        QVERIFY(!api.apiKeyFile.empty() && !worker.apiKeyFile.empty());
        // Each container listens where its ports and probes say.
        for (const auto& [name, options] : {std::pair{"easel-api", api}, std::pair{"easel-worker", worker}}) {
            const YAML::Node c = serverContainer(name);
            QCOMPARE(c["ports"][0]["containerPort"].as<int>(), options.port);
            QCOMPARE(text(c["readinessProbe"]["httpGet"]["path"]), std::string("/readyz"));
            QCOMPARE(text(c["livenessProbe"]["httpGet"]["path"]), std::string("/healthz"));
            QVERIFY(c["lifecycle"]["preStop"]);
            QCOMPARE(text(c["image"]), text(serverContainer("easel-api")["image"]));
        }
        // Workers hold a GPU each; KEDA owns their count.
        QCOMPARE(text(serverContainer("easel-worker")["resources"]["limits"]["nvidia.com/gpu"]), std::string("1"));
        QVERIFY(!serverContainer("easel-api")["resources"]["limits"]["nvidia.com/gpu"]);
        QVERIFY(!object("Deployment", "easel-worker")["spec"]["replicas"]);
        // Both meet in the Redis that redis.yaml runs.
        QCOMPARE(api.redisUrl, worker.redisUrl);
        const auto redis = easel::fleet::RedisAddress::parse(api.redisUrl);
        QCOMPARE(redis.host, std::string("redis.easel.svc.cluster.local"));
        QCOMPARE(object("Service", "redis")["spec"]["ports"][0]["port"].as<int>(), redis.port);
        QVERIFY(object("StatefulSet", "redis"));
    }

    void checkKedaScalesTheWorkersOnTheJobStreamFromZero()
    {
        const YAML::Node scaled = object("ScaledObject", "easel-worker");
        QVERIFY(scaled);
        QCOMPARE(text(scaled["spec"]["scaleTargetRef"]["kind"]), std::string("Deployment"));
        QVERIFY(object("Deployment", text(scaled["spec"]["scaleTargetRef"]["name"])));
        QCOMPARE(scaled["spec"]["minReplicaCount"].as<int>(), 0);
        QVERIFY(scaled["spec"]["maxReplicaCount"].as<int>() >= 1);
        QVERIFY(scaled["spec"]["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]["scaleDown"]);
        const auto redis = easel::fleet::RedisAddress::parse(serverOptions("easel-worker").redisUrl);
        std::set<std::string> triggerNames;
        for (const YAML::Node& t : scaled["spec"]["triggers"]) {
            QCOMPARE(text(t["type"]), std::string("redis-streams"));
            QCOMPARE(text(t["metadata"]["stream"]), easel::fleet::kJobStream);
            QCOMPARE(text(t["metadata"]["consumerGroup"]), easel::fleet::kGroup);
            QCOMPARE(text(t["metadata"]["address"]), redis.host + ":" + std::to_string(redis.port));
            QVERIFY(t["metadata"]["lagCount"] || t["metadata"]["pendingEntriesCount"]);
            const YAML::Node auth = object("TriggerAuthentication", text(t["authenticationRef"]["name"]));
            QVERIFY(auth);
            for (const YAML::Node& ref : auth["spec"]["secretTargetRef"])
                QVERIFY(object("Secret", text(ref["name"]))["stringData"][text(ref["key"])]);
            triggerNames.insert(text(t["name"]));
        }
        // Scaling from zero needs the lag (nothing is pending while no worker exists).
        bool lag = false;
        for (const YAML::Node& t : scaled["spec"]["triggers"])
            lag = lag || t["metadata"]["lagCount"];
        QVERIFY(lag);
        const std::string formula = text(scaled["spec"]["advanced"]["scalingModifiers"]["formula"]);
        for (const std::string& name : triggerNames)
            QVERIFY2(formula.find(name) != std::string::npos, formula.c_str());
    }

    void checkComposeRunsTheSameRolesAroundItsRedis()
    {
        const YAML::Node compose = YAML::LoadFile((kDeployDir / "docker-compose.yml").string());
        const YAML::Node services = compose["services"];
        QVERIFY(services["redis"] && services["api"] && services["worker"]);
        for (const char* name : {"api", "worker", "worker-gpu1"}) {
            if (!services[name])
                continue;
            const YAML::Node s = withMergedKeys(services[name]);
            const ServerOptions o = parsedOrFail(strings(s["command"]), std::string("compose service ") + name);
            QCOMPARE(o.role, std::string(name) == "api" ? std::string("api") : std::string("worker"));
            QVERIFY(services[easel::fleet::RedisAddress::parse(o.redisUrl).host]); // a service of this file
            if (std::string(name) == "api")
                QVERIFY(text(s["ports"][0]).rfind(":" + std::to_string(o.port)) != std::string::npos);
        }
    }

    void checkDockerfileExposesThePortsAndRunsTheServerUnprivileged()
    {
        std::ifstream in(kDeployDir / "Dockerfile");
        std::stringstream all;
        all << in.rdbuf();
        const std::string dockerfile = all.str();
        QVERIFY(dockerfile.find("ENTRYPOINT [\"easel-server\"]") != std::string::npos);
        QVERIFY(std::regex_search(dockerfile, std::regex(R"(\nUSER [1-9][0-9]*)")));
        std::smatch expose;
        QVERIFY(std::regex_search(dockerfile, expose, std::regex(R"(\nEXPOSE ([0-9 ]+))")));
        for (const char* d : {"easel-api", "easel-worker"})
            QVERIFY2(expose[1].str().find(std::to_string(serverOptions(d).port)) != std::string::npos, d);
        QVERIFY(std::regex_search(dockerfile, std::regex(R"(FROM [^\n]+ AS build)")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(fs::is_directory(kDeployDir / "k8s"), kDeployDir.c_str());
        m_objects = kubernetesObjects();
        QVERIFY(m_objects.size() >= 8);
        for (const YAML::Node& o : m_objects)
            m_byKindName[text(o["kind"]) + "/" + text(o["metadata"]["name"])] = o;
    }

    void everyObjectHasWhatTheApiServerRequires()
    {
        for (const YAML::Node& o : m_objects) {
            const std::string id = text(o["kind"]) + "/" + text(o["metadata"]["name"]);
            QVERIFY2(!text(o["apiVersion"]).empty() && !text(o["kind"]).empty(), id.c_str());
            QVERIFY2(std::regex_match(text(o["metadata"]["name"]), std::regex("[a-z0-9]([-a-z0-9]*[a-z0-9])?")),
                     id.c_str());
            if (text(o["kind"]) != "Namespace")
                QVERIFY2(text(o["metadata"]["namespace"]) == "easel", id.c_str());
        }
        QVERIFY(object("Namespace", "easel"));
    }

    void workloadsSelectTheirOwnPodsAndMountWhatExists()
    {
        for (const YAML::Node& o : m_objects) {
            const std::string kind = text(o["kind"]);
            if (kind != "Deployment" && kind != "StatefulSet")
                continue;
            const std::string id = kind + "/" + text(o["metadata"]["name"]);
            const YAML::Node pod = o["spec"]["template"];
            QVERIFY2(subsetOf(o["spec"]["selector"]["matchLabels"], pod["metadata"]["labels"]), id.c_str());
            std::set<std::string> volumes;
            for (const YAML::Node& v : pod["spec"]["volumes"]) {
                volumes.insert(text(v["name"]));
                if (v["secret"])
                    QVERIFY2(object("Secret", text(v["secret"]["secretName"])), (id + ": secret").c_str());
                if (v["persistentVolumeClaim"])
                    QVERIFY2(object("PersistentVolumeClaim", text(v["persistentVolumeClaim"]["claimName"])),
                             (id + ": claim").c_str());
            }
            for (const YAML::Node& t : o["spec"]["volumeClaimTemplates"])
                volumes.insert(text(t["metadata"]["name"]));
            for (const YAML::Node& c : pod["spec"]["containers"]) {
                QVERIFY2(!text(c["image"]).empty(), id.c_str());
                std::set<std::string> ports;
                for (const YAML::Node& p : c["ports"])
                    ports.insert(text(p["name"]));
                for (const YAML::Node& m : c["volumeMounts"])
                    QVERIFY2(volumes.count(text(m["name"])), (id + ": mount " + text(m["name"])).c_str());
                for (const char* probe : {"startupProbe", "readinessProbe", "livenessProbe"}) {
                    const YAML::Node p = c[probe];
                    if (!p)
                        continue;
                    for (const char* how : {"httpGet", "tcpSocket"}) // exec probes name no port
                        if (p[how])
                            QVERIFY2(ports.count(text(p[how]["port"])), (id + ": " + probe + " port").c_str());
                }
                for (const YAML::Node& e : c["env"])
                    if (e["valueFrom"] && e["valueFrom"]["secretKeyRef"])
                        QVERIFY2(object("Secret", text(e["valueFrom"]["secretKeyRef"]["name"])), id.c_str());
            }
        }
    }

    void servicesReachAPodPort()
    {
        for (const YAML::Node& s : m_objects) {
            if (text(s["kind"]) != "Service")
                continue;
            const std::string id = "Service/" + text(s["metadata"]["name"]);
            bool selected = false;
            for (const YAML::Node& w : m_objects) {
                if (text(w["kind"]) != "Deployment" && text(w["kind"]) != "StatefulSet")
                    continue;
                const YAML::Node pod = w["spec"]["template"];
                if (!subsetOf(s["spec"]["selector"], pod["metadata"]["labels"]))
                    continue;
                selected = true;
                std::set<std::string> ports;
                for (const YAML::Node& c : pod["spec"]["containers"])
                    for (const YAML::Node& p : c["ports"])
                        ports.insert(text(p["name"]));
                for (const YAML::Node& p : s["spec"]["ports"])
                    QVERIFY2(ports.count(text(p["targetPort"])), (id + ": targetPort").c_str());
            }
            QVERIFY2(selected, (id + " selects no pods").c_str());
        }
    }

    void serverArgumentsAreOnesEaselServerAccepts() { failOnThrow(&TestDeployManifests::checkServerArgumentsAreOnesEaselServerAccepts); }

    void kedaScalesTheWorkersOnTheJobStreamFromZero() { failOnThrow(&TestDeployManifests::checkKedaScalesTheWorkersOnTheJobStreamFromZero); }

    void composeRunsTheSameRolesAroundItsRedis() { failOnThrow(&TestDeployManifests::checkComposeRunsTheSameRolesAroundItsRedis); }

    void dockerfileExposesThePortsAndRunsTheServerUnprivileged() { failOnThrow(&TestDeployManifests::checkDockerfileExposesThePortsAndRunsTheServerUnprivileged); }
};

QTEST_GUILESS_MAIN(TestDeployManifests)
#include "test_deploy_manifests.moc"
