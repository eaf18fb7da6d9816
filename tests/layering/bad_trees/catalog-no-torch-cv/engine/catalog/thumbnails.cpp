// catalog-no-torch-cv: OpenCV in the catalog.
#include "engine/catalog/database.h"
#include <opencv2/imgproc.hpp>
