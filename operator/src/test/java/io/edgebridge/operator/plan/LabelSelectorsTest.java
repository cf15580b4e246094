package io.edgebridge.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorsTest {

    static final Map<String, String> MUNICH = Map.of("site", "munich", "tier", "store");

    static Stream<Arguments> selectors() {
        return Stream.of(
                Arguments.of("empty selects all", new LabelSelector(), true),
                Arguments.of("matchLabels equal", sel().addToMatchLabels("site", "munich").build(), true),
                Arguments.of("matchLabels differ", sel().addToMatchLabels("site", "hamburg").build(), false),
                Arguments.of("matchLabels missing", sel().addToMatchLabels("ring", "canary").build(), false),
                Arguments.of("In hit", expr("site", "In", "hamburg", "munich"), true),
                Arguments.of("In miss", expr("site", "In", "hamburg"), false),
                Arguments.of("In absent label", expr("ring", "In", "canary"), false),
                Arguments.of("NotIn hit", expr("site", "NotIn", "munich"), false),
                Arguments.of("NotIn miss", expr("site", "NotIn", "hamburg"), true),
                Arguments.of("NotIn absent label", expr("ring", "NotIn", "canary"), true),
                Arguments.of("Exists", expr("tier", "Exists"), true),
                Arguments.of("Exists absent", expr("ring", "Exists"), false),
                Arguments.of("DoesNotExist", expr("ring", "DoesNotExist"), true),
                Arguments.of("DoesNotExist present", expr("tier", "DoesNotExist"), false),
                Arguments.of("labels and expressions are ANDed",
                        sel().addToMatchLabels("site", "munich").addNewMatchExpression()
                                .withKey("tier").withOperator("In").withValues("edge").endMatchExpression().build(),
                        false),
                Arguments.of("unknown operator selects nothing", expr("site", "Equals", "munich"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void matchesLikeTheApiServer(String name, LabelSelector selector, boolean expected) {
        assertEquals(expected, LabelSelectors.matches(selector, MUNICH));
    }

    @Test
    void problemsNameTheRequirementAndWhatToFix() {
        var selector = sel()
                .addNewMatchExpression().withKey("site").withOperator("In").endMatchExpression()
                .addNewMatchExpression().withKey("ring").withOperator("Exists").withValues("x").endMatchExpression()
                .addNewMatchExpression().withKey("tier").withOperator("Equals").withValues("x").endMatchExpression()
                .build();
        assertEquals(List.of(
                "placement.clusterSelector.matchExpressions[0]: operator In needs at least one value",
                "placement.clusterSelector.matchExpressions[1]: operator Exists takes no values",
                "placement.clusterSelector.matchExpressions[2]: operator must be In, NotIn, Exists or DoesNotExist, not Equals"),
                LabelSelectors.problems("placement.clusterSelector", selector));
        assertEquals(List.of(), LabelSelectors.problems("x", expr("site", "In", "munich")));
    }

    static LabelSelectorBuilder sel() {
        return new LabelSelectorBuilder();
    }

    static LabelSelector expr(String key, String operator, String... values) {
        return sel().addNewMatchExpression().withKey(key).withOperator(operator).withValues(values)
                .endMatchExpression().build();
    }
}
