package dev.edgeweave.agents.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.util.List;

/**
 * The short-term scheduling agent as a language model sees it ({@code AiServices} implements it): the prompts
 * beside the method, the answer a record whose JSON schema travels with the request. Every field of the answer
 * is required ({@code @JsonProperty(required = true)} puts it in the schema's {@code required} list, so a server
 * that constrains decoding to the schema cannot leave one out).
 */
public interface SchedulingAdvisor {

    @SystemMessage({
            "You are the short-term scheduling agent of edgeweave, which serves generative-AI models (chat, "
                    + "vision-language, image generation, speech recognition, speech synthesis) on the GPU servers "
                    + "at the edge of a city's network.",
            "Every short window you set one routing weight per model class. A weight says how much a class's "
                    + "queueing delay counts when the router picks a server for a prompt: above 1 its prompts "
                    + "leave a queue for an idle server sooner; below 1 they accept waiting at a fast server. "
                    + "Weights matter only when servers are busy.",
            "Goal: fair service across classes, that is mean slowdowns close to each other, without making "
                    + "overall latency worse. Raise the weight of a class served worse than the others, lower "
                    + "the weight of one served better; change a weight by at most a factor of 2 per window; "
                    + "leave a weight alone when its class had few prompts (under about 20) or the classes are "
                    + "already close.",
            "Every weight must be between 0.1 and 10. Use only the class names of the table. A class you leave "
                    + "out keeps its current weight.",
            "You see telemetry numbers only. Past situations, when given, show what a decision led to one "
                    + "period later: repeat what worked, avoid what did not.",
            "Answer with the JSON object only; keep the rationale to one or two short sentences."
    })
    @UserMessage({
            "Situation:",
            "{{situation}}",
            "Similar past situations (most similar first), the decision taken and the outcome measured one "
                    + "period later:",
            "{{experience}}",
            "Set the class weights for the next window."
    })
    WeightsAnswer decide(@V("situation") String situation, @V("experience") String experience);

    /** The answer: the weights to change, and why. */
    @Description("routing weights for the next window")
    record WeightsAnswer(
            @Description("the classes whose weight you set; a class left out keeps its current weight")
            @JsonProperty(required = true)
            List<ClassWeightAnswer> weights,
            @Description("why, in one or two short sentences")
            @JsonProperty(required = true)
            String rationale) {
    }

    /** One class's weight. */
    @Description("one class's routing weight")
    record ClassWeightAnswer(
            @Description("the class, exactly as named in the table: CHAT, VISION_LANGUAGE, IMAGE_GENERATION, "
                    + "SPEECH_RECOGNITION or SPEECH_SYNTHESIS")
            @JsonProperty(required = true)
            String modelClass,
            @Description("the weight, between 0.1 and 10; 1 is neutral")
            @JsonProperty(required = true)
            Double weight) {
    }
}
