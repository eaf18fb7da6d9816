#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "engine/api/image.h"
#include "image.h"
