package dev.edgeweave.agents.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.util.List;

/**
 * The on-node deployment agent as a language model sees it ({@code AiServices} implements it): the prompts
 * beside the method, the answer a record whose JSON schema travels with the request. Every field of the answer
 * is required ({@code @JsonProperty(required = true)} puts it in the schema's {@code required} list, so a server
 * that constrains decoding to the schema cannot leave one out).
 */
public interface DeploymentAdvisor {

    @SystemMessage({
            "You are the on-node deployment agent of edgeweave on one edge GPU server. You turn this server's "
                    + "part of the plan (the target) into ordered actions:",
            "- UNLOAD a model the server holds that the target no longer wants (its prompts in flight finish "
                    + "first);",
            "- LOAD a target model the server does not hold, on one of its GPUs;",
            "- RESIZE a held model whose slots or share should change.",
            "Memory of an unloaded model frees only after it has drained, so a LOAD must fit on its GPU beside "
                    + "everything held now and everything loaded before it. A target model that does not fit "
                    + "yet goes in deferred, by model id, and is placed on a later run.",
            "Rules: the models on one GPU never exceed its memory; do not LOAD a model the server holds; do not "
                    + "UNLOAD or RESIZE one it does not hold; slots 1 or more; share above 0 (1 = an equal share of "
                    + "a shared GPU); only GPUs of this server. Prefer the GPU the target names; unload the least "
                    + "busy first; load the largest first.",
            "Answer with the JSON object only; keep the rationale to one or two short sentences."
    })
    @UserMessage({
            "Situation:",
            "{{situation}}",
            "Similar past situations (most similar first), the decision taken and the outcome measured one "
                    + "period later:",
            "{{experience}}",
            "Give the ordered actions."
    })
    PlanAnswer decide(@V("situation") String situation, @V("experience") String experience);

    /** The answer: the actions in order, what waits for memory, and why. */
    @Description("the ordered actions for this server")
    record PlanAnswer(
            @Description("the actions, in the order to take them")
            @JsonProperty(required = true)
            List<ActionAnswer> actions,
            @Description("model ids of target models that must wait until memory frees")
            @JsonProperty(required = true)
            List<String> deferred,
            @Description("why, in one or two short sentences")
            @JsonProperty(required = true)
            String rationale) {
    }

    /** One step. */
    @Description("one action")
    record ActionAnswer(
            @Description("LOAD, UNLOAD or RESIZE")
            @JsonProperty(required = true)
            String kind,
            @Description("the model id, as in the tables")
            @JsonProperty(required = true)
            String model,
            @Description("the GPU of this server, from 0")
            @JsonProperty(required = true)
            Integer gpu,
            @Description("batch slots, 1 or more")
            @JsonProperty(required = true)
            Integer slots,
            @Description("share weight on a shared GPU, above 0; 1 = equal shares")
            @JsonProperty(required = true)
            Double share) {
    }
}
