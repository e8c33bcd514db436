package dev.edgeweave.agents.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.util.List;

/**
 * The long-term planning agent as a language model sees it ({@code AiServices} implements it): the prompts
 * beside the method, the answer a record whose JSON schema travels with the request. Every field of the answer
 * is required ({@code @JsonProperty(required = true)} puts it in the schema's {@code required} list, so a server
 * that constrains decoding to the schema cannot leave one out).
 */
public interface PlanningAdvisor {

    @SystemMessage({
            "You are the long-term planning agent of edgeweave, which serves generative-AI models (chat, "
                    + "vision-language, image generation, speech recognition, speech synthesis) on the GPU servers "
                    + "at the edge of a city's network.",
            "Every planning period you decide which models each server holds: for each deployment the server, "
                    + "the model, the GPU (index from 0) and the batch slots (1 or more).",
            "Rules: use only the servers and models of the tables; place nothing on a server that is down; the "
                    + "memory of the models on one GPU must not exceed that GPU's memory; keep within the number "
                    + "of loads plus unloads per server allowed this period (a load takes tens of seconds in which "
                    + "the model cannot serve); a server holds a model at most once.",
            "Your answer is the complete placement: every deployment to hold after this period, those that stay "
                    + "included. A server you leave out holds nothing.",
            "Goal: every model asked for is held with enough capacity for its rate, a class with a higher weight "
                    + "gets more of the spare capacity, and little moves.",
            "You see telemetry numbers only. Past situations, when given, show what a decision led to one "
                    + "period later: repeat what worked, avoid what did not.",
            "Answer with the JSON object only; keep the rationale to one or two short sentences."
    })
    @UserMessage({
            "Situation:",
            "{{situation}}",
            "This period each server may have at most {{churn}} loads plus unloads.",
            "",
            "Similar past situations (most similar first), the decision taken and the outcome measured one "
                    + "period later:",
            "{{experience}}",
            "Give the complete placement for the next period."
    })
    PlacementAnswer decide(@V("situation") String situation, @V("churn") int churn,
                           @V("experience") String experience);

    /** The answer: every deployment to hold, and why. */
    @Description("the complete placement for the next period")
    record PlacementAnswer(
            @Description("every deployment to hold after this period, those that stay included")
            @JsonProperty(required = true)
            List<DeploymentAnswer> deployments,
            @Description("why, in one or two short sentences")
            @JsonProperty(required = true)
            String rationale) {
    }

    /** One model on one server. */
    @Description("one model held by one server")
    record DeploymentAnswer(
            @Description("the server id, as in the table")
            @JsonProperty(required = true)
            String server,
            @Description("the model id, as in the table")
            @JsonProperty(required = true)
            String model,
            @Description("the GPU of the server, from 0")
            @JsonProperty(required = true)
            Integer gpu,
            @Description("batch slots, 1 or more")
            @JsonProperty(required = true)
            Integer slots) {
    }
}
