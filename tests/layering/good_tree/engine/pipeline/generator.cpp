// A diamond: pipeline -> models -> core, pipeline -> sampling -> core (no cycle).
#include "engine/models/unet.h"
#include "engine/sampling/samplers.h"
#include <torch/torch.h>
#include <opencv2/core.hpp>
