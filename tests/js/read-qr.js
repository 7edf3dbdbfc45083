// Reads the QR code in a PNG (a screenshot the browser tests take) and prints what it holds, for
// tests that check a code the page drew says what the page says. Exits 1 when it finds none.
"use strict";

const fs = require("node:fs");
const { PNG } = require("pngjs");
const jsQR = require("jsqr");

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node tests/js/read-qr.js FILE.png\n");
  process.exit(2);
}
const png = PNG.sync.read(fs.readFileSync(file));
const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
if (!found) {
  process.stderr.write(`no QR code found in ${file} (${png.width}x${png.height})\n`);
  process.exit(1);
}
process.stdout.write(found.data);
