#pragma once
#include <functional>
#include <memory>
#include "engine/api/request.h"
#include "engine/service/job.h"
