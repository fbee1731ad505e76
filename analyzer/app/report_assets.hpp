// The HTML report's own script and style sheet: analyzer/app/report/report.js and
// report.css, compiled in at build time (analyzer/app/report/embed.cmake).
#pragma once

#include <string_view>

namespace quartet::analyzer {

std::string_view report_script();
std::string_view report_style();

}  // namespace quartet::analyzer
