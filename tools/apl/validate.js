// Validate APL documents with Amazon's own validator (apl-suggester, the authoring tool's linter).
// Usage: node tools/apl/validate.js FILE.json [...]. Prints one JSON line per file:
// {"file": ..., "problems": [{"path": ..., "errorMessage": ..., "level": ...}]}; exit 1 if any.
const fs = require("fs");
const { StaticAplTemplateValidator } = require("apl-suggester");

async function main(files) {
  const validator = new StaticAplTemplateValidator();
  let failed = false;
  for (const file of files) {
    const document = JSON.parse(fs.readFileSync(file, "utf8"));
    const problems = await validator.validate(document);
    failed = failed || problems.length > 0;
    process.stdout.write(JSON.stringify({ file, problems }) + "\n");
  }
  return failed ? 1 : 0;
}

// apl-suggester prints "No mixin for component" notes on the console for the template itself.
console.log = () => {};
console.warn = () => {};
console.error = () => {};
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`apl validation failed to run: ${error.message}\n`);
    process.exit(2);
  },
);
