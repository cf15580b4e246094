package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every CEL rule in crds/*.yml has a case in src/test/resources/crd-validation that breaks it, so
 * a new rule without a test fails the build. CrdValidationTest runs the cases.
 */
class CrdRuleCoverageTest {

    // In the generated YAML every rule has a one-line "rule:" key; a property named rule would not.
    static final Pattern RULE_LINE = Pattern.compile("^\\s*(- )?rule: \\S.*$", Pattern.MULTILINE);

    @Test
    void everyRuleInTheCrdsIsFound() throws IOException {
        var ruleLines = 0L;
        for (var file : RepoPaths.files("crds", "*.yml")) {
            ruleLines += RULE_LINE.matcher(Files.readString(file)).results().count();
        }
        var rules = CrdRules.all();
        assertEquals(ruleLines, rules.size(), "rules found by walking the schemas: " + rules);
    }

    @Test
    void everyRuleHasACaseThatBreaksIt() {
        var refused = ValidationCase.all().stream().filter(ValidationCase::isRefused).toList();
        var uncovered = CrdRules.all().stream()
                .filter(rule -> refused.stream().noneMatch(c -> c.apiVersion().equals(rule.apiVersion())
                        && c.kind().equals(rule.kind()) && c.refused().contains(rule.message())))
                .toList();
        assertEquals(List.of(), uncovered,
                "CEL rules without a refused case in e2e/src/test/resources/" + ValidationCase.FOLDER);
    }
}
