// engine-folder-cycle: controlnet -> models.
#include "engine/models/controlnet_model.h"
