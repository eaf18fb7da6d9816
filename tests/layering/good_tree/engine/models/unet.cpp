#include "engine/models/unet.h"
#include "engine/core/runtime.h"
