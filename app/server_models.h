#pragma once
/// The pickers' lists when the studio runs on an Easel server (Settings → Engine): checkpoints,
/// VAEs, LoRAs and ControlNets as the server lists them, in the shape a local folder scan gives,
/// so the widgets fill their pickers the same way. Each entry's path is the name a request sends
/// (the server resolves it). Blocking (HTTP): run on a pool thread. Any thread.

#include <QString>

#include "app/model_scan.h"

namespace easel::app {

/// Never throws: a failure (server down, wrong key) lands in `error` with what to do.
ModelScanResult listServerModels(const QString& url, const QString& apiKey);

/// "" when the server answers and takes the key, else what is wrong and what to do.
QString checkServer(const QString& url, const QString& apiKey);

} // namespace easel::app
