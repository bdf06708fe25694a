// The browser comes from the system (Debian's chromium) or PUPPETEER_EXECUTABLE_PATH:
// never download one at install time.
module.exports = { skipDownload: true }
