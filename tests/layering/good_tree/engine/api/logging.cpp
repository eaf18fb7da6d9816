// An api source may use third-party headers (not torch/OpenCV).
#include "engine/api/logging.h"
#include <spdlog/spdlog.h>
